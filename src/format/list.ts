import type { PciAbi } from '../registry.js';
import type { Provenance } from '../schema/types.js';

/** One provenance item as text: `repo@commit` and/or the Message-ID. */
export function provenanceText(p: Provenance): string {
  const where = [p.repo && p.commit ? `${p.repo}@${p.commit.slice(0, 12)}` : p.repo, p.messageId].filter(Boolean).join(' ');
  return p.note ? `${where} (${p.note})` : where;
}

/** Root size as a formula: `8 + 8n` for inline layouts, `12` for block roots. */
export function rootSizeText(a: PciAbi): string {
  return a.storage === 'inline' ? `${a.roles.devices.offset} + ${a.entry.size}n` : String(a.root.size);
}

/**
 * The `list` table of the given ids, every layout of the registry that shares a compat string with
 * one of them, and where each given layout was seen.
 */
export function formatAbiList(abis: readonly PciAbi[], registry: readonly PciAbi[] = abis): string {
  const rows = abis.map((a) => [
    a.id,
    `"${a.compatible}"`,
    a.version === undefined ? '-' : String(a.version),
    rootSizeText(a),
    String(a.entry.size),
    a.storage,
    a.semantics,
    a.seen,
    a.fingerprint,
  ]);
  const head = ['ID', 'COMPAT', 'VER', 'ROOT', 'ENTRY', 'DEVICES', 'SEMANTICS', 'SEEN', 'FINGERPRINT'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  const out = [line(head), ...rows.map(line)];
  const listed = new Set(abis.map((a) => a.compatible));
  const byCompat = new Map<string, PciAbi[]>();
  for (const a of registry) if (listed.has(a.compatible)) byCompat.set(a.compatible, [...(byCompat.get(a.compatible) ?? []), a]);
  const shared = [...byCompat].filter(([, group]) => group.length > 1);
  if (shared.length > 0) out.push('', 'Compat strings used by more than one layout:');
  for (const [compat, group] of shared) {
    out.push(`  "${compat}": ${group.map((a) => a.id).join(', ')}`);
    const shapes = new Map<string, PciAbi[]>();
    for (const a of group) shapes.set(a.fingerprint, [...(shapes.get(a.fingerprint) ?? []), a]);
    if (shapes.size > 1) out.push(`    ${shapes.size} different byte layouts under one string: a reader of one misparses the others`);
    for (const same of shapes.values()) {
      if (same.length < 2) continue;
      const how = same.every((a) => a.version !== undefined) ? 'told apart only by the in-blob version field' : 'nothing in the blob tells them apart';
      out.push(`    identical bytes: ${same.map((a) => a.id).join(' = ')} (${how})`);
    }
  }
  out.push('', 'Provenance:');
  for (const a of abis) {
    out.push(`  ${a.id}`);
    for (const p of a.provenance) out.push(`    ${provenanceText(p)}`);
  }
  return out.join('\n');
}

/** The `list --json` object. */
export function abiListJson(abis: readonly PciAbi[]) {
  return {
    abis: abis.map((a) => ({
      id: a.id,
      compatible: a.compatible,
      version: a.version ?? null,
      rootSize: a.root.size,
      entrySize: a.entry.size,
      storage: a.storage,
      semantics: a.semantics,
      seen: a.seen,
      fingerprint: a.fingerprint,
      summary: a.summary,
      provenance: a.provenance,
      sharesCompatible: a.sharesCompatible,
      sharesBytes: a.sharesBytes,
    })),
  };
}
