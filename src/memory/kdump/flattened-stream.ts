import { UsageError } from '../../errors.js';
import type { ImageFile } from '../page-cache.js';
import { kdumpStruct, structReader } from './kdump-structs.js';

/** The first bytes of makedumpfile's flattened format (`makedumpfile -F`, QEMU 7.2 `dump-guest-memory -z`). */
export const FLATTENED_SIGNATURE = 'makedumpfile';

/** MDF_HEADER_SIZE: the stream's header block; the records follow it. */
const MDF_HEADER_SIZE = 4096;
const TYPE_FLAT_HEADER = 1n;
const END_FLAG_FLAT_HEADER = -1n;
const dataHeader = kdumpStruct('makedumpfile_data_header');

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
    let starts = new Float64Array(1024);
    let sizes = new Float64Array(1024);
    let at = new Float64Array(1024);
    let n = 0;
    let pos = MDF_HEADER_SIZE;
    const rec = new Uint8Array(dataHeader.size);
    for (;;) {
      if (pos + rec.length > stream.size) throw new UsageError(`${name}: flattened stream ends at byte ${stream.size} without its end marker (a truncated dump?)`);
      stream.readInto(pos, rec);
      const r = structReader(dataHeader, rec);
      const offset = BigInt.asIntN(64, r.int('offset'));
      const size = BigInt.asIntN(64, r.int('buf_size'));
      if (offset === END_FLAG_FLAT_HEADER && size === END_FLAG_FLAT_HEADER) break;
      pos += rec.length;
      if (offset < 0n || size < 0n || offset + size > BigInt(Number.MAX_SAFE_INTEGER)) {
        throw new UsageError(`${name}: flattened record at byte ${pos - rec.length} has offset ${offset} and size ${size}`);
      }
      if (BigInt(pos) + size > BigInt(stream.size)) {
        throw new UsageError(`${name}: flattened record at byte ${pos - rec.length} holds ${size} bytes, past the end of the ${stream.size}-byte stream`);
      }
      if (size > 0n) {
        if (n === starts.length) [starts, sizes, at] = [grow(starts), grow(sizes), grow(at)];
        starts[n] = Number(offset);
        sizes[n] = Number(size);
        at[n] = pos;
        n++;
      }
      pos += Number(size);
    }
    const order = Array.from({ length: n }, (_, i) => i);
    if (order.some((i) => i > 0 && starts[i]! < starts[i - 1]!)) order.sort((a, b) => starts[a]! - starts[b]!);
    this.starts = new Float64Array(n);
    this.ends = new Float64Array(n);
    this.at = new Float64Array(n);
    order.forEach((from, i) => {
      this.starts[i] = starts[from]!;
      this.ends[i] = starts[from]! + sizes[from]!;
      this.at[i] = at[from]!;
      if (i > 0 && this.starts[i]! < this.ends[i - 1]!) {
        throw new UsageError(
          `${name}: flattened records overlap: bytes ${this.starts[i]}..${Math.min(this.ends[i]!, this.ends[i - 1]!)} are written by the records at stream bytes ${this.at[i - 1]! - rec.length} and ${this.at[i]! - rec.length}`,
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

function grow(a: Float64Array): Float64Array<ArrayBuffer> {
  const b = new Float64Array(a.length * 2);
  b.set(a);
  return b;
}
