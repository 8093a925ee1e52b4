import { createHash } from 'node:crypto';
import type { StructDef } from '../schema/types.js';
import { layoutStructs, type StructLayout } from './engine.js';

/** The byte shape of a struct, without names or docs: what two layouts must share to read the same bytes. */
export function normalizeLayout(s: StructLayout): unknown {
  return {
    size: s.size,
    align: s.align,
    fields: s.fields.map((f) => ({
      kind: f.kind,
      offset: f.offset,
      size: f.size,
      elementSize: f.elementSize,
      count: f.count ?? null,
      flexible: f.flexible,
      signed: f.signed,
      bigEndian: f.bigEndian,
      struct: f.struct ? normalizeLayout(f.struct) : null,
    })),
  };
}

/**
 * A stable hash (16 hex digits of SHA-256) of the normalized byte layout of a set of
 * structs. Field names and docs are left out, so layouts that read the same bytes share it.
 */
export function layoutFingerprint(structs: readonly StructLayout[]): string {
  const text = JSON.stringify(structs.map(normalizeLayout));
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/**
 * The fingerprint of a registry definition: layoutFingerprint of its structs as laid out.
 * scripts/gen-abi-index.mjs writes it into abi/index.ts, so the registry computes none at start.
 */
export function definitionFingerprint(def: { readonly structs: readonly StructDef[] }): string {
  return layoutFingerprint([...layoutStructs(def.structs).values()]);
}
