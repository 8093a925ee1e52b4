import { layoutFingerprint } from '../layout/fingerprint.js';
import { abis, type AbiId, type PciAbi } from '../registry.js';
import type { ParsedHeader } from './types.js';

const words = (s: string | undefined) => (s ?? '').replace(/[^A-Za-z0-9]+/g, ' ').trim();

/** The header's PCI_LUO_FLB_VERSION-style value: the first `*_VERSION` macro, or null. */
export function headerVersion(h: ParsedHeader): number | null {
  const v = h.versions[0]?.value;
  return typeof v === 'bigint' ? Number(v) : null;
}

function sameDocs(h: ParsedHeader, abi: PciAbi): boolean {
  return abi.structs.every((s) => {
    const hs = h.structs.find((x) => x.name === s.name);
    return s.fields.every((f) => words(f.doc) === words(hs?.layout.fields.find((x) => x.name === f.name)?.doc));
  });
}

/**
 * Registry ids whose structs have the header's byte layout (fingerprint), compat string and
 * version; ids whose kernel-doc also matches come first (same bytes can mean different things).
 */
export function registryMatches(h: ParsedHeader): AbiId[] {
  const version = headerVersion(h);
  const compat = new Set(h.compatible.map((d) => d.value));
  const found = abis.filter((abi) => {
    const layouts = abi.structs.map((s) => h.structs.find((x) => x.name === s.name)?.layout);
    if (layouts.some((l) => l === undefined)) return false;
    return (
      layoutFingerprint(layouts.map((l) => l!)) === abi.fingerprint &&
      compat.has(abi.compatible) &&
      (abi.version ?? null) === version
    );
  });
  return found.sort((a, b) => Number(sameDocs(h, b)) - Number(sameDocs(h, a))).map((a) => a.id);
}
