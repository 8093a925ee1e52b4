import { layoutFingerprint } from '../layout/fingerprint.js';
import { structJson } from '../layout/struct-json.js';
import { headerVersion, registryMatches } from './registry-match.js';
import type { ParsedHeader } from './types.js';

/** What `kho-abi header` reports about a parsed header. */
export function headerReport(h: ParsedHeader) {
  const defines: Record<string, number | string> = {};
  for (const d of h.defines) {
    defines[d.name] = typeof d.value === 'bigint' && Number.isSafeInteger(Number(d.value)) ? Number(d.value) : String(d.value);
  }
  return {
    file: h.file,
    structs: h.structs.map((s) => structJson(s.layout)),
    defines,
    compatible: h.compatible.map((d) => d.value as string),
    version: headerVersion(h),
    staticAsserts: h.staticAsserts.map((a) => ({ expr: a.expr, holds: a.holds, line: a.pos.line })),
    fingerprint: layoutFingerprint(h.structs.map((s) => s.layout)),
    matches: registryMatches(h),
    includes: h.includes.map((i) => ({ name: i.name, followed: i.followed ?? null })),
  };
}
