import { FDT_MAX_SIZE, FDT_V17_SIZE, readFdtHeader } from '../fdt/fdt-header.js';
import { fdtCompatible } from '../fdt/fdt-node.js';
import { parseFdt, type ParsedFdt } from '../fdt/parse-fdt.js';
import type { PhysicalMemory } from '../memory/memory-image.js';

/** A tree read from memory: its bytes (as far as they resolve, at most FDT_MAX_SIZE) and what parsing found. */
export interface FdtInMemory extends ParsedFdt {
  readonly bytes: Uint8Array;
  /**
   * The root compatible string; for a tree whose totalsize runs past the mapped memory
   * (a kdump file leaves zero pages out: a padded boot DTB loses its tail), read from the
   * part that is mapped. Null when it cannot be read.
   */
  readonly compatible: string | null;
}

/**
 * Read and parse the tree at `pa`: the header first, then `totalsize` bytes (never more than
 * FDT_MAX_SIZE, never past the mapped memory: a totalsize running past it is the parse
 * problem). Null when the header itself is not mapped.
 */
export function readFdtAt(memory: PhysicalMemory, pa: bigint): FdtInMemory | null {
  const head = memory.read(pa, FDT_V17_SIZE);
  if (!head) return null;
  const want = Math.max(FDT_V17_SIZE, Math.min(readFdtHeader(head).totalsize, FDT_MAX_SIZE));
  const size = memory.resolves(pa, want) ? want : mappedExtent(memory, pa, want);
  const bytes = memory.read(pa, size)!;
  const parsed = parseFdt(bytes);
  return { ...parsed, bytes, compatible: parsed.root ? fdtCompatible(parsed.root) : size < want ? truncatedCompatible(bytes) : null };
}

/** The root compatible of a tree cut short by the mapped memory, parsed as if its totalsize ended there. */
function truncatedCompatible(bytes: Uint8Array): string | null {
  const clamped = bytes.slice();
  new DataView(clamped.buffer).setUint32(4, clamped.length);
  const root = parseFdt(clamped).root;
  return root ? fdtCompatible(root) : null;
}

/** How many bytes from `pa` are mapped, up to `limit` (binary search; the first byte is mapped). */
function mappedExtent(memory: PhysicalMemory, pa: bigint, limit: number): number {
  let lo = 1;
  let hi = limit;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (memory.resolves(pa, mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
