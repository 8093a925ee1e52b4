import { compatVersion } from './follow-luo.js';
import type { KhoTree } from './types.js';

/** The LUO liveupdate number a tree's path read, if any. */
export function liveupdateNum(tree: KhoTree): bigint | undefined {
  return tree.path.find((s) => s.liveupdateNum !== undefined)?.liveupdateNum;
}

/** Whether the path reached a valid FLB table with entries (an outgoing table before kexec is empty). */
export function isComplete(tree: KhoTree): boolean {
  return tree.flb !== null && tree.flb.table.findings.length === 0 && tree.flb.table.count > 0n;
}

/** Newest layout first: a composite string or kho-v4 > v3 > v2 with blob-size > v2 > v1; unreadable trees last. */
function layoutRank(tree: KhoTree): number {
  if (tree.compatible === null) return -1;
  const v = compatVersion(tree.compatible, 'kho-v') ?? 0;
  return v * 4 + (tree.compatible.includes(';') ? 2 : 0) + (tree.blobSize ? 1 : 0);
}

/**
 * Best first: newest layout, then complete chains before empty or broken ones, then the
 * higher LUO liveupdate number (a kernel's outgoing tree is its incoming one + 1), then
 * the lower address.
 */
export function rankTrees(trees: readonly KhoTree[]): KhoTree[] {
  const key = (t: KhoTree) => [layoutRank(t), isComplete(t) ? 1 : 0, t.findings.length ? 0 : 1] as const;
  return [...trees].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return kb[i]! - ka[i]!;
    const na = liveupdateNum(a) ?? -1n;
    const nb = liveupdateNum(b) ?? -1n;
    if (na !== nb) return na > nb ? -1 : 1;
    return (a.address ?? 0n) < (b.address ?? 0n) ? -1 : 1;
  });
}

/**
 * Label incoming and outgoing trees: a tree named by a boot DTB's /chosen linux,kho-fdt is
 * incoming; of two trees whose LUO numbers are n and n + 1, the first is incoming and the
 * second outgoing (the new kernel's own tree).
 */
export function labelRoles(trees: readonly KhoTree[], chosen: ReadonlyMap<bigint, bigint>): void {
  for (const t of trees) {
    const dtb = t.address !== undefined ? chosen.get(t.address) : undefined;
    if (dtb !== undefined) {
      t.role = 'incoming';
      t.roleReason = `named by /chosen linux,kho-fdt of the boot DTB at 0x${dtb.toString(16)}`;
    }
  }
  for (const older of trees) {
    const n = liveupdateNum(older);
    if (n === undefined) continue;
    const newer = trees.find((t) => t !== older && liveupdateNum(t) === n + 1n);
    if (!newer) continue;
    if (!older.role) {
      older.role = 'incoming';
      older.roleReason = `liveupdate number ${n}, one less than the tree at 0x${(newer.address ?? 0n).toString(16)}`;
    }
    if (!newer.role) {
      newer.role = 'outgoing';
      newer.roleReason = `liveupdate number ${n + 1n}, one more than the tree at 0x${(older.address ?? 0n).toString(16)}`;
    }
  }
}
