import type { PhysicalMemory } from '../memory/memory-image.js';
import { parseElfCore } from '../memory/elf-core.js';

/** A PT_LOAD segment as mapped: physical [start, end) at file offset `offset`. */
interface Load {
  readonly start: bigint;
  readonly end: bigint;
  readonly offset: number;
}

/**
 * Physical memory of an ELF64 core held in a byte array (a fuzz case's image): the
 * same ELF reader as files use, and the file offset of any physical address so
 * mutators can edit the image in place.
 */
export class ImageMemory implements PhysicalMemory {
  /** The PT_LOAD segments, ascending by physical address. */
  readonly loads: readonly Load[];

  constructor(readonly bytes: Uint8Array) {
    const readAt = (offset: number, length: number) => bytes.subarray(offset, Math.min(offset + length, bytes.length));
    this.loads = parseElfCore(readAt, bytes.length, 'image')
      .loads.map((l) => ({ start: l.paddr, end: l.paddr + l.filesz, offset: Number(l.offset) }))
      .sort((a, b) => (a.start < b.start ? -1 : 1));
  }

  /** The file offset of a physical address, or undefined when no segment maps it. */
  offsetOf(pa: bigint): number | undefined {
    const l = this.loadAt(pa);
    return l ? l.offset + Number(pa - l.start) : undefined;
  }

  /** Whether every byte of [pa, pa + length) is mapped. */
  resolves(pa: bigint, length: number): boolean {
    let at = pa;
    const end = pa + BigInt(length);
    while (at < end) {
      const l = this.loadAt(at);
      if (!l) return false;
      at = l.end;
    }
    return true;
  }

  /** Copy [pa, pa + dest.length) into dest; false when some byte is not mapped. */
  readInto(pa: bigint, dest: Uint8Array): boolean {
    let done = 0;
    while (done < dest.length) {
      const at = pa + BigInt(done);
      const l = this.loadAt(at);
      if (!l) return false;
      const n = Math.min(dest.length - done, Number(l.end - at));
      const from = l.offset + Number(at - l.start);
      dest.set(this.bytes.subarray(from, from + n), done);
      done += n;
    }
    return true;
  }

  /** The bytes at [pa, pa + length), or null when some byte is not mapped. */
  read(pa: bigint, length: number): Uint8Array | null {
    const out = new Uint8Array(length);
    return this.readInto(pa, out) ? out : null;
  }

  private loadAt(pa: bigint): Load | undefined {
    const ls = this.loads;
    let lo = 0;
    let hi = ls.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const l = ls[mid]!;
      if (pa < l.start) hi = mid - 1;
      else if (pa >= l.end) lo = mid + 1;
      else return l;
    }
    return undefined;
  }
}
