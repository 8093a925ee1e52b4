import { createHash } from 'node:crypto';
import { FDT_MAX_SIZE } from '../fdt/fdt-header.js';
import { fdtCells, fdtChild, fdtProp, type FdtNode } from '../fdt/fdt-node.js';
import { parseFdt } from '../fdt/parse-fdt.js';
import { UsageError } from '../errors.js';
import type { PhysicalMemory } from '../memory/memory-image.js';
import { isKhoCompatible, followKhoTree } from './kho-tree.js';
import { labelRoles, rankTrees } from './rank-trees.js';
import { readFdtAt } from './read-fdt-at.js';
import { fdtMagicPages, type ScannableMemory } from './scan-pages.js';
import type { KhoTree } from './types.js';

/** FDT magic hits examined at most: a hostile image full of magic words stays bounded. */
export const MAX_FDT_CANDIDATES = 256;

/** Options of the discovery functions. */
export interface DiscoveryOptions {
  /** PAGE_SIZE of the kernel that wrote the state (FLB table, KHO blocks); default 4096. */
  readonly pageSize?: number;
}

/** An FDT found by the scan that is not a KHO tree. */
export interface OtherFdt {
  readonly address: bigint;
  /** Its root compatible, or why it was not read. */
  readonly what: string;
}

/** What discovery found: every KHO tree (best first) and what else the scan saw. */
export interface Discovery {
  readonly trees: readonly KhoTree[];
  /** How the trees were found: a scan, `--kho-fdt FILE` or `--kho-fdt ADDR`. */
  readonly source: 'scan' | 'file' | 'address';
  /** Page starts scanned (0 without a scan). */
  readonly pagesScanned: number;
  /** FDTs seen that are neither KHO trees nor on a tree's path (boot DTBs, stray LUO trees, unreadable headers). */
  readonly others: readonly OtherFdt[];
  /** FDT magic hits past MAX_FDT_CANDIDATES that were not examined. */
  readonly notExamined: number;
}

/**
 * Find the Live Update state without an address: scan every page start of the images
 * for a flattened device tree, keep those whose root compatible is `kho-v*` (broken ones
 * too, with their findings), follow each to its PCI blobs, drop byte-for-byte duplicates
 * and rank the rest best first. FDTs whose root compatible cannot be read are listed
 * among the others with the reason.
 */
export function discoverKhoTrees(memory: ScannableMemory, opts: DiscoveryOptions = {}): Discovery {
  const pageSize = opts.pageSize ?? 4096;
  const stats = { pages: 0 };
  const trees: KhoTree[] = [];
  const others: OtherFdt[] = [];
  const chosen = new Map<bigint, bigint>();
  const seen = new Map<string, KhoTree>();
  let examined = 0;
  let notExamined = 0;
  for (const pa of fdtMagicPages(memory, stats)) {
    if (examined >= MAX_FDT_CANDIDATES) {
      notExamined++;
      continue;
    }
    examined++;
    const fdt = readFdtAt(memory, pa);
    if (!fdt) {
      others.push({ address: pa, what: 'FDT magic whose header runs past the memory images' });
      continue;
    }
    const h = fdt.header;
    if (h.version < 16 || h.version > 17 || h.last_comp_version > 17) {
      others.push({ address: pa, what: `FDT magic with version ${h.version}, last_comp_version ${h.last_comp_version}: not a tree` });
      continue;
    }
    const compatible = fdt.compatible;
    if (!isKhoCompatible(compatible)) {
      const what = compatible === null ? `FDT whose root compatible cannot be read (${fdt.problem?.message ?? 'none'})` : `FDT ${JSON.stringify(compatible)}`;
      others.push({ address: pa, what: fdt.problem && compatible !== null ? `${what}, ${fdt.problem.message}` : what });
      const kho = fdt.root && !fdt.problem ? chosenKhoFdt(fdt.root) : null;
      if (kho !== null) chosen.set(kho, pa);
      continue;
    }
    const digest = createHash('sha1').update(fdt.bytes.subarray(0, Math.min(h.totalsize, fdt.bytes.length))).digest('hex');
    const same = seen.get(digest);
    if (same) {
      same.duplicates.push(pa);
      continue;
    }
    const tree = followKhoTree(memory, fdt, { address: pa, pageSize }, compatible);
    seen.set(digest, tree);
    trees.push(tree);
  }
  labelRoles(trees, chosen);
  const onPath = new Set(trees.flatMap((t) => t.path.map((s) => s.address)));
  return { trees: rankTrees(trees), source: 'scan', pagesScanned: stats.pages, others: others.filter((o) => !onPath.has(o.address)), notExamined };
}

/** `--kho-fdt ADDR`: the KHO tree at a physical address, followed to the PCI state. */
export function inspectKhoFdtAt(memory: PhysicalMemory, pa: bigint, opts: DiscoveryOptions = {}): Discovery {
  const fdt = readFdtAt(memory, pa);
  if (!fdt) throw new UsageError(`the KHO FDT header at 0x${pa.toString(16)} is not in the memory images`);
  const tree = followKhoTree(memory, fdt, { address: pa, pageSize: opts.pageSize ?? 4096 });
  return { trees: [tree], source: 'address', pagesScanned: 0, others: [], notExamined: 0 };
}

/** `--kho-fdt FILE`: a KHO tree copied from debugfs (kho/in/fdt, kho/out/fdt), followed into the memory images. */
export function inspectKhoFdtBytes(memory: PhysicalMemory, bytes: Uint8Array, file: string, opts: DiscoveryOptions = {}): Discovery {
  if (bytes.length > FDT_MAX_SIZE) throw new UsageError(`${file}: ${bytes.length} bytes is more than a KHO FDT (at most ${FDT_MAX_SIZE})`);
  const tree = followKhoTree(memory, parseFdt(bytes), { file, pageSize: opts.pageSize ?? 4096 });
  return { trees: [tree], source: 'file', pagesScanned: 0, others: [], notExamined: 0 };
}

/** The PA in a boot DTB's /chosen linux,kho-fdt (`<addr size>` in the root's #address-cells / #size-cells), or null. */
function chosenKhoFdt(root: FdtNode): bigint | null {
  const chosen = fdtChild(root, 'chosen');
  const p = chosen && fdtProp(chosen, 'linux,kho-fdt');
  if (!p) return null;
  const cells = (name: string, dflt: number) => {
    const c = fdtProp(root, name);
    return c ? Number(fdtCells(c.value, 1) ?? dflt) : dflt;
  };
  const addressCells = cells('#address-cells', 2);
  const sizeCells = cells('#size-cells', 1);
  if (addressCells < 1 || addressCells > 2 || p.value.length !== (addressCells + sizeCells) * 4) return null;
  return fdtCells(p.value.subarray(0, addressCells * 4), addressCells);
}

/** Whether a discovery has an error: a broken link, an invalid FLB table, or a PCI entry no id reads cleanly. */
export function discoveryHasErrors(d: Discovery): boolean {
  return d.trees.some((t) => t.findings.length > 0 || (t.flb !== null && (t.flb.table.findings.length > 0 || t.flb.pci.some((p) => !p.readings.some((r) => r.consistent)))));
}
