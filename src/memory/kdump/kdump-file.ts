import { UsageError } from '../../errors.js';
import type { RegionSource } from '../memory-image.js';
import type { ImageFile } from '../page-cache.js';
import { kdumpStruct, structReader } from './kdump-structs.js';
import { decodePage, DUMP_DH_COMPRESSED_INCOMPLETE, pageCodecName } from './page-codecs.js';

/** The first bytes of a kdump-compressed file (KDUMP_SIGNATURE). */
export const KDUMP_SIGNATURE = 'KDUMP   ';

/** Whether bytes start with the kdump signature. */
export function isKdump(head: Uint8Array): boolean {
  return Buffer.from(head.subarray(0, 8)).toString('latin1') === KDUMP_SIGNATURE;
}

/** What a kdump file's headers say. */
export interface KdumpHeader {
  readonly headerVersion: number;
  /** block_size: the dumped kernel's PAGE_SIZE; one bitmap bit and one page_desc per block. */
  readonly blockSize: number;
  /** utsname.machine and utsname.release of the dumped kernel. */
  readonly machine: string;
  readonly release: string;
  /** Pages 0..maxMapnr the bitmaps describe (max_mapnr_64 from header version 6 on). */
  readonly maxMapnr: number;
  /** A split dump (makedumpfile --split) holds only pfns [startPfn, endPfn). */
  readonly startPfn: number;
  readonly endPfn: number;
  /** Pages the 2nd bitmap marks dumpable (each has a page_desc). */
  readonly dumpable: number;
}

const header = kdumpStruct('disk_dump_header');
const subHeader = kdumpStruct('kdump_sub_header');
const pageDesc = kdumpStruct('page_desc');
/** Bitmap bytes per rank checkpoint: the dumpable pages before each 4096 pfns are counted once. */
const RANK_CHUNK = 512;
/** Decompressed pages kept (a 64 KiB block size keeps at most 2 MiB). */
const DECODED_PAGES = 32;
/** Bitmap bytes read at a time when testing pages (32768 pfns). */
const BITMAP_WINDOW = 4096;
const MAX_PHYS_BITS = 52;

/**
 * A kdump-compressed file (makedumpfile, QEMU dump-guest-memory -z) as physical memory
 * [0, maxMapnr * blockSize), read page by page: the 2nd bitmap says whether a page was
 * dumped, the number of dumpable pages before it indexes its page_desc, and the page is
 * decompressed on demand into a small cache. Never decompressed whole.
 */
export class KdumpFile implements RegionSource {
  readonly header: KdumpHeader;
  private readonly bitmap2: number;
  private readonly descriptors: number;
  private readonly ranks: Float64Array;
  private readonly rankBase: number;
  private readonly pages = new Map<number, Uint8Array>();
  /** Bytes of the 2nd bitmap that describe pfns below max_mapnr. */
  private readonly mapBytes: number;
  private window: { at: number; bytes: Uint8Array } = { at: 0, bytes: new Uint8Array(0) };

  constructor(
    private readonly file: ImageFile,
    private readonly name: string,
  ) {
    const head = this.bytes(0, header.size, 'disk_dump_header');
    const h = structReader(header, head);
    const utsAt = header.fields.find((f) => f.name === 'utsname')!.offset;
    const uts = structReader(kdumpStruct('new_utsname'), head.subarray(utsAt));
    const version = Number(h.int('header_version'));
    const blockSize = Number(h.int('block_size'));
    if (!(blockSize >= 1024 && blockSize <= 1 << 20 && (blockSize & (blockSize - 1)) === 0)) {
      throw this.error(`block_size ${blockSize} is not a power of two from 1 KiB to 1 MiB (only the 64-bit kdump header is read)`);
    }
    const subBlocks = Number(h.int('sub_hdr_size'));
    const bitmapBlocks = Number(h.int('bitmap_blocks'));
    if (version < 1) throw this.error(`header_version ${version}`);
    if (subBlocks < 1 || subBlocks > 1 << 20) throw this.error(`sub_hdr_size ${subBlocks} blocks`);
    const s = structReader(subHeader, this.bytes(blockSize, subHeader.size, 'kdump_sub_header'));
    const v6 = version >= 6;
    const maxMapnr = v6 ? s.int('max_mapnr_64') : h.int('max_mapnr');
    const split = s.int('split') !== 0n;
    if (maxMapnr === 0n || maxMapnr > 1n << BigInt(MAX_PHYS_BITS - Math.log2(blockSize))) {
      throw this.error(`max_mapnr ${maxMapnr}: ${maxMapnr === 0n ? 'no pages' : `pages past the ${MAX_PHYS_BITS}-bit physical address space`}`);
    }
    const startPfn = split ? (v6 ? s.int('start_pfn_64') : s.int('start_pfn')) : 0n;
    const endPfn = split ? (v6 ? s.int('end_pfn_64') : s.int('end_pfn')) : maxMapnr;
    if (startPfn > endPfn || endPfn > maxMapnr) throw this.error(`split pfns ${startPfn}..${endPfn} are not inside 0..${maxMapnr}`);
    const bitmapStart = (1 + subBlocks) * blockSize;
    const bitmapBytes = bitmapBlocks * blockSize;
    if (bitmapStart + bitmapBytes > file.size) {
      throw this.error(`the bitmaps (${bitmapBlocks} blocks at byte ${bitmapStart}) end past the end of the ${file.size}-byte file`);
    }
    if (bitmapBytes / 2 < Math.ceil(Number(maxMapnr) / 8)) throw this.error(`${bitmapBlocks} bitmap blocks cannot describe max_mapnr ${maxMapnr} pages`);
    this.bitmap2 = bitmapStart + bitmapBytes / 2;
    this.descriptors = bitmapStart + bitmapBytes;
    this.mapBytes = Math.ceil(Number(maxMapnr) / 8);
    this.ranks = this.countDumpable(Number(maxMapnr));
    this.rankBase = this.rank(Number(startPfn));
    const dumpable = this.rank(Number(endPfn)) - this.rankBase;
    const descEnd = this.descriptors + dumpable * pageDesc.size;
    if (descEnd > file.size) {
      throw this.error(`the bitmap marks ${dumpable} pages dumpable; their page descriptors would end at byte ${descEnd}, past the end of the ${file.size}-byte file`);
    }
    this.header = {
      headerVersion: version,
      blockSize,
      machine: uts.text('machine'),
      release: uts.text('release'),
      maxMapnr: Number(maxMapnr),
      startPfn: Number(startPfn),
      endPfn: Number(endPfn),
      dumpable,
    };
  }

  /** Bytes of physical memory the file describes. */
  get end(): number {
    return this.header.maxMapnr * this.header.blockSize;
  }

  /** How many bytes from physical address `offset` on, up to `length`, were dumped. */
  presentLength(offset: number, length: number): number {
    const bs = this.header.blockSize;
    let done = 0;
    while (done < length) {
      const pa = offset + done;
      if (!this.dumped(Math.floor(pa / bs))) break;
      done += bs - (pa % bs);
    }
    return Math.min(done, length);
  }

  /** Copy physical bytes [offset, offset + dest.length) into dest; every page must be dumped. */
  readInto(offset: number, dest: Uint8Array): void {
    const bs = this.header.blockSize;
    let done = 0;
    while (done < dest.length) {
      const pa = offset + done;
      const page = this.page(Math.floor(pa / bs));
      const from = pa % bs;
      const n = Math.min(dest.length - done, bs - from);
      dest.set(page.subarray(from, from + n), done);
      done += n;
    }
  }

  /** Whether the 2nd bitmap marks a pfn dumpable (and a split file holds it). */
  private dumped(pfn: number): boolean {
    const { startPfn, endPfn } = this.header;
    if (pfn < startPfn || pfn >= endPfn) return false;
    return ((this.bitmapByte(pfn >> 3) >> (pfn & 7)) & 1) === 1;
  }

  /** One byte of the 2nd bitmap, through a window of it: a scan of page starts reads each bitmap block once. */
  private bitmapByte(index: number): number {
    if (index < this.window.at || index >= this.window.at + this.window.bytes.length) {
      const at = index - (index % BITMAP_WINDOW);
      this.window = { at, bytes: this.bytes(this.bitmap2 + at, Math.min(BITMAP_WINDOW, this.mapBytes - at), 'bitmap') };
    }
    return this.window.bytes[index - this.window.at]!;
  }

  /** The decompressed bytes of a dumped page, through the cache. */
  private page(pfn: number): Uint8Array {
    const hit = this.pages.get(pfn);
    if (hit) {
      this.pages.delete(pfn);
      this.pages.set(pfn, hit);
      return hit;
    }
    const bs = this.header.blockSize;
    const where = `page 0x${(BigInt(pfn) * BigInt(bs)).toString(16)} (pfn ${pfn})`;
    const index = this.rank(pfn) - this.rankBase;
    const d = structReader(pageDesc, this.bytes(this.descriptors + index * pageDesc.size, pageDesc.size, `page_desc ${index}`));
    const offset = d.int('offset');
    const size = Number(d.int('size'));
    const flags = Number(d.int('flags'));
    const codec = pageCodecName(flags);
    if (flags & DUMP_DH_COMPRESSED_INCOMPLETE) throw this.error(`${where}: page_desc ${index} marks the page incomplete (the dump ran out of space)`);
    if (!codec) throw this.error(`${where}: page_desc ${index} has unknown flags 0x${flags.toString(16)}`);
    if (size === 0 || size > bs) throw this.error(`${where}: page_desc ${index} stores ${size} bytes for a ${bs}-byte block`);
    if (offset < 0n || offset + BigInt(size) > BigInt(this.file.size)) {
      throw this.error(`${where}: page_desc ${index} points at bytes ${offset}..${offset + BigInt(size)}, past the end of the ${this.file.size}-byte file`);
    }
    let page: Uint8Array;
    try {
      page = decodePage(this.bytes(Number(offset), size, 'page data'), flags, bs);
    } catch (e) {
      throw this.error(`${where}: ${(e as Error).message}`);
    }
    if (this.pages.size >= DECODED_PAGES) this.pages.delete(this.pages.keys().next().value!);
    this.pages.set(pfn, page);
    return page;
  }

  /** Dumpable pages (2nd bitmap bits) below pfn. */
  private rank(pfn: number): number {
    const byte = pfn >> 3;
    const chunk = Math.floor(byte / RANK_CHUNK);
    let n = this.ranks[chunk]!;
    const from = chunk * RANK_CHUNK;
    if (byte > from) {
      this.bitmapByte(from); // the window holds the whole chunk: both are aligned, the window 8 times larger
      n += popcount(this.window.bytes.subarray(from - this.window.at, byte - this.window.at));
    }
    if (pfn & 7) n += POPCOUNT[this.bitmapByte(byte) & ((1 << (pfn & 7)) - 1)]!;
    return n;
  }

  /** Count the 2nd bitmap's bits below maxMapnr once: the dumpable pages before each chunk. */
  private countDumpable(maxMapnr: number): Float64Array {
    const mapBytes = Math.ceil(maxMapnr / 8);
    const ranks = new Float64Array(Math.ceil(mapBytes / RANK_CHUNK) + 1);
    const step = RANK_CHUNK * 128;
    for (let at = 0; at < mapBytes; at += step) {
      const buf = this.bytes(this.bitmap2 + at, Math.min(step, mapBytes - at), 'bitmap');
      if (at + buf.length === mapBytes && maxMapnr & 7) buf[buf.length - 1]! &= (1 << (maxMapnr & 7)) - 1;
      for (let c = 0; c < buf.length; c += RANK_CHUNK) {
        const i = (at + c) / RANK_CHUNK;
        ranks[i + 1] = ranks[i]! + popcount(buf.subarray(c, c + RANK_CHUNK));
      }
    }
    return ranks;
  }

  private bytes(offset: number, length: number, what: string): Uint8Array {
    if (offset + length > this.file.size) throw this.error(`the ${what} at byte ${offset} runs past the end of the ${this.file.size}-byte file`);
    const out = new Uint8Array(length);
    this.file.readInto(offset, out);
    return out;
  }

  private error(message: string): UsageError {
    return new UsageError(`${this.name}: kdump: ${message}`);
  }
}

const POPCOUNT = Uint8Array.from({ length: 256 }, (_, b) => {
  let n = 0;
  for (let x = b; x; x &= x - 1) n++;
  return n;
});

function popcount(bytes: Uint8Array): number {
  let n = 0;
  for (const b of bytes) n += POPCOUNT[b]!;
  return n;
}
