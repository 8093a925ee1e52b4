import { FDT_MAGIC } from '../fdt/fdt-header.js';
import type { MemoryRegion, PhysicalMemory } from '../memory/memory-image.js';

/** Memory that can be scanned: it knows its mapped ranges. */
export interface ScannableMemory extends PhysicalMemory {
  readonly map: readonly MemoryRegion[];
}

/** The step of the scan: KHO trees start a page, and 4 KiB also finds them in 16 KiB and 64 KiB kernels. */
export const SCAN_STEP = 4096;
/** Bytes read at a time: one positioned read covers many page starts. */
const CHUNK = 4 << 20;

/** A page of a sparse image (a kdump file leaves pages out) read on its own: false when absent. */
function isFdtMagicAt(memory: PhysicalMemory, pa: bigint): boolean {
  const head = memory.read(pa, 4);
  return head !== null && new DataView(head.buffer).getUint32(0) === FDT_MAGIC;
}

/**
 * Every page start of the mapped memory that begins with FDT_MAGIC, in address order;
 * `stats.pages` counts the page starts looked at. Read CHUNK bytes at a time; a chunk
 * with absent pages is read page by page.
 */
export function* fdtMagicPages(memory: ScannableMemory, stats: { pages: number }): Generator<bigint> {
  const buf = new Uint8Array(CHUNK);
  const view = new DataView(buf.buffer);
  const step = BigInt(SCAN_STEP);
  for (const region of memory.map) {
    let pa = ((region.start + step - 1n) / step) * step;
    while (pa + 4n <= region.end) {
      const n = Number(region.end - pa < BigInt(CHUNK) ? region.end - pa : BigInt(CHUNK));
      const whole = memory.readInto(pa, buf.subarray(0, n));
      for (let off = 0; off + 4 <= n; off += SCAN_STEP) {
        stats.pages++;
        if (whole ? view.getUint32(off) === FDT_MAGIC : isFdtMagicAt(memory, pa + BigInt(off))) yield pa + BigInt(off);
      }
      pa += BigInt(Math.ceil(n / SCAN_STEP) * SCAN_STEP);
    }
  }
}
