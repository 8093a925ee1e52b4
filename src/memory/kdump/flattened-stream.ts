import { UsageError } from '../../errors.js';
import type { ImageFile } from '../page-cache.js';
import { kdumpStruct, structReader } from './kdump-structs.js';

/** The first bytes of makedumpfile's flattened format (`makedumpfile -F`, QEMU 7.2 `dump-guest-memory -z`). */
export const FLATTENED_SIGNATURE = 'makedumpfile';

/** MDF_HEADER_SIZE: the stream's header block; the records follow it. */
const MDF_HEADER_SIZE = 4096;
const TYPE_FLAT_HEADER = 1n;
const dataHeader = kdumpStruct('makedumpfile_data_header');
const OFFSET_AT = dataHeader.fields.find((f) => f.name === 'offset')!.offset;
const SIZE_AT = dataHeader.fields.find((f) => f.name === 'buf_size')!.offset;
/** Offsets and sizes up to 2^53 (the high 32 bits below 2^21) are exact as numbers. */
const SAFE_HI = 2 ** 21;

/** Whether bytes start with the flattened-stream signature. */
export function isFlattened(head: Uint8Array): boolean {
  return Buffer.from(head.subarray(0, 16)).toString('latin1') === FLATTENED_SIGNATURE.padEnd(16, '\0');
}

/**
 * The file a flattened stream stands for (what `makedumpfile -R` would write), read in
 * place: an index of the stream's (offset, size) records, built once, maps each logical
 * offset to the stream offset of its bytes; bytes no record writes read as zero (a hole).
 * Records that write the same bytes twice, or run past the end, are refused.
 */
export class FlattenedFile implements ImageFile {
  /** Logical file size: the end of the last record. */
  readonly size: number;
  private readonly starts: Float64Array;
  private readonly ends: Float64Array;
  private readonly at: Float64Array;

  constructor(
    private readonly stream: ImageFile,
    name: string,
  ) {
    const head = new Uint8Array(kdumpStruct('makedumpfile_header').size);
    stream.readInto(0, head);
    const h = structReader(kdumpStruct('makedumpfile_header'), head);
    if (h.int('type') !== TYPE_FLAT_HEADER) throw new UsageError(`${name}: flattened stream of type ${h.int('type')}, not ${TYPE_FLAT_HEADER}`);
    const { starts, sizes, dataAt, n } = scanRecords(stream, name);
    const order = Array.from({ length: n }, (_, i) => i);
    if (order.some((i) => i > 0 && starts[i]! < starts[i - 1]!)) order.sort((a, b) => starts[a]! - starts[b]!);
    this.starts = new Float64Array(n);
    this.ends = new Float64Array(n);
    this.at = new Float64Array(n);
    order.forEach((from, i) => {
      this.starts[i] = starts[from]!;
      this.ends[i] = starts[from]! + sizes[from]!;
      this.at[i] = dataAt[from]!;
      if (i > 0 && this.starts[i]! < this.ends[i - 1]!) {
        throw new UsageError(
          `${name}: flattened records overlap: bytes ${this.starts[i]}..${Math.min(this.ends[i]!, this.ends[i - 1]!)} are written by the records at stream bytes ${this.at[i - 1]! - dataHeader.size} and ${this.at[i]! - dataHeader.size}`,
        );
      }
    });
    this.size = n ? this.ends[n - 1]! : 0;
  }

  /** Copy logical bytes [offset, offset + dest.length) into dest; bytes no record writes are zero. */
  readInto(offset: number, dest: Uint8Array): void {
    let done = 0;
    let i = this.recordAt(offset);
    while (done < dest.length) {
      const pos = offset + done;
      while (i < this.starts.length && this.ends[i]! <= pos) i++;
      const start = i < this.starts.length ? this.starts[i]! : Infinity;
      if (start > pos) {
        const n = Math.min(dest.length - done, start - pos);
        dest.fill(0, done, done + n);
        done += n;
        continue;
      }
      const n = Math.min(dest.length - done, this.ends[i]! - pos);
      this.stream.readInto(this.at[i]! + (pos - start), dest.subarray(done, done + n));
      done += n;
    }
  }

  /** The first record that ends after `offset`, by binary search. */
  private recordAt(offset: number): number {
    let lo = 0;
    let hi = this.starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.ends[mid]! <= offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/**
 * The (offset, size) records of a stream, read in 1 MiB chunks with plain numbers: millions
 * of records must index in well under a second. Records of no bytes are dropped.
 */
function scanRecords(stream: ImageFile, name: string) {
  const end = stream.size;
  const rec = dataHeader.size;
  let starts = new Float64Array(1024);
  let sizes = new Float64Array(1024);
  let dataAt = new Float64Array(1024);
  let n = 0;
  const chunk = new Uint8Array(Math.min(1 << 20, end));
  const view = new DataView(chunk.buffer);
  let chunkAt = 0;
  let chunkEnd = 0;
  for (let pos = MDF_HEADER_SIZE; ; ) {
    if (pos + rec > end) throw new UsageError(`${name}: flattened stream ends at byte ${end} without its end marker (a truncated dump?)`);
    if (pos < chunkAt || pos + rec > chunkEnd) {
      chunkAt = pos;
      chunkEnd = Math.min(pos + chunk.length, end);
      stream.readInto(pos, chunk.subarray(0, chunkEnd - pos));
    }
    const at = pos - chunkAt;
    const oHi = view.getInt32(at + OFFSET_AT, false);
    const oLo = view.getUint32(at + OFFSET_AT + 4, false);
    const sHi = view.getInt32(at + SIZE_AT, false);
    const sLo = view.getUint32(at + SIZE_AT + 4, false);
    if (oHi === -1 && oLo === 0xffffffff && sHi === -1 && sLo === 0xffffffff) return { starts, sizes, dataAt, n }; // END_FLAG_FLAT_HEADER
    if (oHi < 0 || sHi < 0 || oHi >= SAFE_HI || sHi >= SAFE_HI) {
      throw new UsageError(`${name}: flattened record at byte ${pos} has offset ${view.getBigInt64(at + OFFSET_AT, false)} and size ${view.getBigInt64(at + SIZE_AT, false)}`);
    }
    const size = sHi * 2 ** 32 + sLo;
    if (pos + rec + size > end) throw new UsageError(`${name}: flattened record at byte ${pos} holds ${size} bytes, past the end of the ${end}-byte stream`);
    pos += rec;
    if (size > 0) {
      if (n === starts.length) [starts, sizes, dataAt] = [grow(starts), grow(sizes), grow(dataAt)];
      starts[n] = oHi * 2 ** 32 + oLo;
      sizes[n] = size;
      dataAt[n] = pos;
      n++;
    }
    pos += size;
  }
}

function grow(a: Float64Array): Float64Array<ArrayBuffer> {
  const b = new Float64Array(a.length * 2);
  b.set(a);
  return b;
}
