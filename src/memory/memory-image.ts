import { closeSync } from 'node:fs';

/** A range of physical memory held by an image file. */
export interface MemoryRegion {
  /** First physical address. */
  readonly start: bigint;
  /** One past the last physical address. */
  readonly end: bigint;
  /** The image file and the offset of `start` in the region's source (a file offset; a physical address for a kdump file). */
  readonly file: string;
  readonly fileOffset: number;
}

/** Where a region's bytes come from: an image file's page cache, a kdump file's pages, or bytes in memory. */
export interface RegionSource {
  /** Copy the bytes at file offset `offset` into dest (every byte of the range present). */
  readInto(offset: number, dest: Uint8Array): void;
  /**
   * Sparse sources (a kdump file, whose bitmap leaves pages out): how many bytes from
   * `offset` on, up to `length`, are present. Absent: the whole region is present.
   */
  presentLength?(offset: number, length: number): number;
}

/** What one image file is, for messages and defaults. */
export interface ImageDescription {
  readonly file: string;
  /** `elf` (an ELF64 core), `kdump` (kdump-compressed), `kdump-flattened` (makedumpfile's flattened stream of one), `raw` (FILE@0xBASE). */
  readonly format: 'elf' | 'kdump' | 'kdump-flattened' | 'raw';
  /** The machine the image names: ELF e_machine as `EM_386 (i386)`, kdump utsname.machine. */
  readonly machine?: string;
  /** kdump block_size: the PAGE_SIZE of the dumped kernel. */
  readonly blockSize?: number;
  /** More about the image: its PT_LOAD count, or the kdump header version and pages dumped. */
  readonly detail?: string;
}

/** A region with the source its bytes are read from. */
export interface LiveRegion extends MemoryRegion {
  readonly source: RegionSource;
}

/** Physical memory a reader resolves addresses in: a MemoryImage, or bytes built in a test. */
export interface PhysicalMemory {
  /** Whether every byte of [pa, pa + length) is mapped. */
  resolves(pa: bigint, length: number): boolean;
  /** Copy [pa, pa + dest.length) into dest; false when some byte is not mapped. */
  readInto(pa: bigint, dest: Uint8Array): boolean;
  /** The bytes at [pa, pa + length), or null when some byte is not mapped. */
  read(pa: bigint, length: number): Uint8Array | null;
}

/**
 * Physical memory backed by images (ELF cores, kdump files, raw dumps): reads resolve a physical
 * address to a file offset and go through the region's source (a file's page cache).
 */
export class MemoryImage implements PhysicalMemory {
  private readonly regions: LiveRegion[];

  constructor(
    regions: readonly LiveRegion[],
    private readonly fds: readonly number[],
    /** What each image file is, in the order given. */
    readonly images: readonly ImageDescription[] = [],
  ) {
    this.regions = [...regions].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  }

  /** The mapped ranges, ascending by physical address. */
  get map(): readonly MemoryRegion[] {
    return this.regions.map(({ start, end, file, fileOffset }) => ({ start, end, file, fileOffset }));
  }

  /** Whether every byte of [pa, pa + length) is in some image. */
  resolves(pa: bigint, length: number): boolean {
    let at = pa;
    const end = pa + BigInt(length);
    while (at < end) {
      const r = this.regionAt(at);
      if (!r) return false;
      const want = Number((end < r.end ? end : r.end) - at);
      if (r.source.presentLength && r.source.presentLength(r.fileOffset + Number(at - r.start), want) < want) return false;
      at += BigInt(want);
    }
    return true;
  }

  /** The page size the images record (kdump block_size), when every image that records one agrees. */
  get recordedPageSize(): number | undefined {
    const sizes = new Set(this.images.flatMap((i) => (i.blockSize === undefined ? [] : [i.blockSize])));
    return sizes.size === 1 ? [...sizes][0] : undefined;
  }

  /** Copy [pa, pa + dest.length) into dest; false (dest unspecified) when some byte is in no image. */
  readInto(pa: bigint, dest: Uint8Array): boolean {
    let done = 0;
    while (done < dest.length) {
      const at = pa + BigInt(done);
      const r = this.regionAt(at);
      if (!r) return false;
      const n = Math.min(dest.length - done, Number(r.end - at));
      const offset = r.fileOffset + Number(at - r.start);
      if (r.source.presentLength && r.source.presentLength(offset, n) < n) return false;
      r.source.readInto(offset, dest.subarray(done, done + n));
      done += n;
    }
    return true;
  }

  /** The bytes at [pa, pa + length), or null when some byte is in no image. */
  read(pa: bigint, length: number): Uint8Array | null {
    const out = new Uint8Array(length);
    return this.readInto(pa, out) ? out : null;
  }

  /** Close the image files. */
  close(): void {
    for (const fd of this.fds) closeSync(fd);
  }

  /** The region holding a physical address, by binary search. */
  protected regionAt(pa: bigint): LiveRegion | undefined {
    const rs = this.regions;
    let lo = 0;
    let hi = rs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const r = rs[mid]!;
      if (pa < r.start) hi = mid - 1;
      else if (pa >= r.end) lo = mid + 1;
      else return r;
    }
    return undefined;
  }
}
