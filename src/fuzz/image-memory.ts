import { parseElfCore } from '../memory/elf-core.js';
import { MemoryImage } from '../memory/memory-image.js';

/**
 * Physical memory of an ELF64 core held in a byte array (a fuzz case's image): the same
 * ELF reader and address resolution as image files, plus the file offset of any physical
 * address so mutators can edit the image in place.
 */
export class ImageMemory extends MemoryImage {
  /** The PT_LOAD segments: physical [start, end) at file offset `offset`, ascending. */
  readonly loads: ReadonlyArray<{ readonly start: bigint; readonly end: bigint; readonly offset: number }>;

  constructor(readonly bytes: Uint8Array) {
    const readAt = (offset: number, length: number) => bytes.subarray(offset, Math.min(offset + length, bytes.length));
    const source = { readInto: (offset: number, dest: Uint8Array) => dest.set(bytes.subarray(offset, offset + dest.length)) };
    const loads = parseElfCore(readAt, bytes.length, 'image').loads.map((l) => ({ start: l.paddr, end: l.paddr + l.filesz, offset: Number(l.offset) }));
    super(loads.map((l) => ({ start: l.start, end: l.end, file: 'image', fileOffset: l.offset, source })), []);
    this.loads = [...loads].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  }

  /** The file offset of a physical address, or undefined when no segment maps it. */
  offsetOf(pa: bigint): number | undefined {
    const r = this.regionAt(pa);
    return r ? r.fileOffset + Number(pa - r.start) : undefined;
  }
}
