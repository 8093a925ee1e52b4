import { UsageError } from '../errors.js';

/** A blob as the library takes it: a Uint8Array (or Buffer), an ArrayBuffer, or any typed array or DataView over one. */
export type BlobBytes = Uint8Array | ArrayBuffer | ArrayBufferView;

/** The bytes of a blob as a Uint8Array over the same memory (no copy); anything else is a UsageError. */
export function blobBytes(input: BlobBytes): Uint8Array {
  if (input instanceof Uint8Array) return input;
  if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  if (input instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && (input as unknown) instanceof SharedArrayBuffer)) return new Uint8Array(input);
  const got = input === null ? 'null' : typeof input === 'object' ? ((input as object).constructor?.name ?? 'an object') : typeof input;
  throw new UsageError(`expected the blob as a Uint8Array, Buffer, ArrayBuffer or typed array, got ${got}`);
}
