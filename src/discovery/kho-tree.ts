import { fdtCompatible } from '../fdt/fdt-node.js';
import type { ParsedFdt } from '../fdt/parse-fdt.js';
import { inspectFlbTable } from '../luo-flb/inspect-flb.js';
import type { PhysicalMemory } from '../memory/memory-image.js';
import { compatVersion, followLuo, type TreeBase } from './follow-luo.js';
import type { KhoTree } from './types.js';

/** Whether a root compatible string is a KHO tree's: `kho-vN`, alone or leading a `;`-joined composite. */
export function isKhoCompatible(compatible: string | null): boolean {
  return compatible !== null && compatible.startsWith('kho-v');
}

/**
 * Check a KHO tree and follow it to the PCI state: the tree itself (every header and
 * structure check), its "LUO" entry, the LUO container, the FLB table, and every PCI
 * entry of the table decoded under each id of its compat string. `compatible` is the
 * root compatible when it was read otherwise (from a tree cut short by the images).
 */
export function followKhoTree(memory: PhysicalMemory, fdt: ParsedFdt, base: TreeBase, compatible = fdt.root ? fdtCompatible(fdt.root) : null): KhoTree {
  const where = base.address !== undefined ? { address: base.address } : base.file !== undefined ? { file: base.file } : {};
  const tree: KhoTree = { ...where, compatible, path: [], flb: null, findings: [], notes: [], duplicates: [] };
  const version = compatible === null ? undefined : compatVersion(compatible, 'kho-v');
  tree.path.push({
    kind: 'kho-fdt',
    ...where,
    ...(compatible !== null ? { compatible } : {}),
    ...(version !== undefined ? { version } : {}),
    layout: 'kho-fdt',
    size: fdt.header.totalsize,
  });
  const at = (offset: number) => (base.address !== undefined ? { address: base.address + BigInt(offset) } : { offset, ...(base.file ? { file: base.file } : {}) });
  if (fdt.problem) {
    tree.findings.push({ rule: 'KHO_FDT_INVALID', severity: 'error', message: `KHO FDT: ${fdt.problem.message}`, ...at(fdt.problem.offset) });
    return tree;
  }
  if (!isKhoCompatible(compatible)) {
    tree.findings.push({ rule: 'KHO_FDT_INVALID', severity: 'error', message: `root compatible ${JSON.stringify(compatible)} is not a KHO tree's ("kho-vN")`, ...at(fdt.root?.offset ?? 0) });
    return tree;
  }
  const flbPa = followLuo(memory, tree, fdt.root!, base);
  if (flbPa !== null) tree.flb = inspectFlbTable(memory, flbPa, { pageSize: base.pageSize });
  return tree;
}
