import type { FieldLayout } from '../layout/engine.js';
import { readInt, readIntSource } from '../layout/field-io.js';
import type { PciAbi } from '../registry.js';

/** One root value of a blob that holds the whole root: a number (a u64 below 2^53 too, as readInt's numberWhenExact), else a bigint. */
export type RootRead = (bytes: Uint8Array) => number | bigint;

/** The readers of a layout's root values by role (undefined where the layout has no such field). */
export interface RootReads {
  readonly nr: RootRead;
  readonly max: RootRead | undefined;
  readonly version: RootRead | undefined;
  /** pci_ser.devices as a physical address (block layouts). */
  readonly head: RootRead | undefined;
}

/**
 * The JS body reading unsigned field `f` from `bytes` with its offset as a constant: one
 * expression up to 4 bytes; for 8, both halves (the low one alone when the high one is 0, which
 * keeps the value a small integer) and a bigint only past 2^53. Undefined for a
 * field that expression cannot read (signed, or another size).
 */
export function rootReadSource(f: FieldLayout): string | undefined {
  if (f.signed || f.count !== undefined) return undefined;
  if (f.elementSize <= 4) return `return ${readIntSource(f, 'bytes', '0')};`;
  if (f.elementSize !== 8) return undefined;
  const half = (k: number) => readIntSource({ ...f, elementSize: 4, offset: f.offset + 4 * (f.bigEndian ? 1 - k : k) }, 'bytes', '0');
  return `const lo = ${half(0)}, hi = ${half(1)};\nreturn hi === 0 ? lo : hi < 0x200000 ? hi * 0x100000000 + lo : (BigInt(hi) << 32n) | BigInt(lo);`;
}

/** The reader of one root field, compiled for it (readInt where the compiled body cannot read it). */
export function compileRootRead(f: FieldLayout): RootRead {
  const body = rootReadSource(f);
  // Only the field's offset, and numbers, go into the source.
  return body ? (new Function('bytes', body) as RootRead) : (bytes) => readInt(bytes, f.offset, f, true);
}

/** The compiled readers of a layout's root values. */
export function compileRootReads(abi: PciAbi): RootReads {
  const { roles } = abi;
  const of = (f: FieldLayout | undefined) => (f ? compileRootRead(f) : undefined);
  return { nr: compileRootRead(roles.nr), max: of(roles.max), version: of(roles.version), head: abi.storage === 'block-chain' ? compileRootRead(roles.devices) : undefined };
}
