import { constants } from 'node:buffer';

/** Bytes read in pieces (from a file, a pipe or a stream), kept until the end of the input. */
export interface ByteSink {
  /** Bytes kept so far. */
  readonly length: number;
  /** A view with room for `n` more bytes to read into; count what was read with grew(). */
  room(n: number): Uint8Array;
  /** Count `n` bytes read into the last room. */
  grew(n: number): void;
  /** Keep a chunk read elsewhere. */
  append(chunk: Uint8Array): void;
  /** Every byte kept, in one array. */
  bytes(): Uint8Array;
}

/** Chunks joined at the end: a plain buffer for small inputs (blobs), which typed-array reads are fastest on. */
export class ChunkedBytes implements ByteSink {
  private readonly chunks: Uint8Array[] = [];
  /** Free space left after the last read: a pipe fills a room in several reads. */
  private free = new Uint8Array(0);
  length = 0;

  room(n: number): Uint8Array {
    if (this.free.length < n) this.free = new Uint8Array(n);
    return this.free.subarray(0, n);
  }

  grew(n: number): void {
    this.append(this.free.subarray(0, n));
    this.free = this.free.subarray(n);
  }

  append(chunk: Uint8Array): void {
    this.chunks.push(chunk);
    this.length += chunk.length;
  }

  bytes(): Uint8Array {
    if (this.chunks.length === 1) return this.chunks[0]!;
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}

/**
 * One buffer that grows in place: a resizable ArrayBuffer reserves address space for
 * `limit` bytes and memory is used only as bytes arrive, so a large text (a million devices
 * of JSON) is never held twice, as chunks and their joined copy would be.
 */
export class GrowableBytes implements ByteSink {
  private readonly buffer: ArrayBuffer;
  length = 0;

  /** Throws a RangeError when the address space cannot be reserved. */
  constructor(readonly limit: number) {
    this.buffer = new ArrayBuffer(0, { maxByteLength: Math.min(limit, constants.MAX_LENGTH) });
  }

  room(n: number): Uint8Array {
    const end = Math.min(this.length + n, this.buffer.maxByteLength);
    // Doubling costs no memory: pages of the buffer past what is written are never touched.
    if (end > this.buffer.byteLength) this.buffer.resize(Math.min(this.buffer.maxByteLength, Math.max(end, 2 * this.buffer.byteLength)));
    return new Uint8Array(this.buffer, this.length, end - this.length);
  }

  grew(n: number): void {
    this.length += n;
  }

  append(chunk: Uint8Array): void {
    const room = this.room(chunk.length);
    if (room.length < chunk.length) throw new RangeError(`more than ${this.buffer.maxByteLength} bytes`);
    room.set(chunk);
    this.length += chunk.length;
  }

  bytes(): Uint8Array {
    // Not shrunk to fit: V8 zero-fills the bytes a shrink releases, touching the very pages never used.
    return new Uint8Array(this.buffer, 0, this.length);
  }
}
