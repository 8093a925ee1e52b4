import type { FieldLayout } from '../layout/engine.js';

/** Typed arrays holding one entry field per in-use device. */
export type Column = Uint8Array | Uint16Array | Uint32Array | Int8Array | Int16Array | Int32Array;

type ColumnArray = { new (n: number): Column; new (buffer: ArrayBufferLike, byteOffset: number, length: number): Column };

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The typed array class that holds one value of an integer field of 1, 2 or 4 bytes. */
export function columnArray(f: FieldLayout): ColumnArray {
  switch (f.elementSize) {
    case 1:
      return f.signed ? Int8Array : Uint8Array;
    case 2:
      return f.signed ? Int16Array : Uint16Array;
    case 4:
      return f.signed ? Int32Array : Uint32Array;
    default:
      throw new Error(`field ${f.name}: ${f.elementSize}-byte entry fields are not supported`);
  }
}

/**
 * Field `f` of entries `stride` bytes apart from byte `start` of `view` as a typed array over
 * the same memory, when its bytes can be read as they are (aligned, host byte order): element
 * `k * step` is the field of entry k. Null otherwise.
 */
export function strided(view: DataView, start: number, stride: number, f: FieldLayout): { src: Column; step: number } | null {
  const size = f.elementSize;
  const origin = view.byteOffset + start;
  if (size > 1 && (f.bigEndian === LITTLE_ENDIAN_HOST || origin % size !== 0 || stride % size !== 0)) return null;
  const Array = columnArray(f);
  const length = start >= view.byteLength ? 0 : Math.floor((view.byteLength - start) / size);
  return { src: length === 0 ? new Array(0) : new Array(view.buffer, origin, length), step: stride / size };
}

/**
 * Field `f` of n entries `stride` bytes apart from byte `start` (entry k is in slot
 * `indices[k]`, or k when null), read in one pass into a new typed array.
 */
export function readColumn(view: DataView, start: number, stride: number, f: FieldLayout, indices: Uint32Array | null, n: number): Column {
  const out = new (columnArray(f))(n);
  const fast = strided(view, start, stride, f);
  // Separate loops for dense and indexed lists: mixing the two in one expression makes V8 box each index.
  if (fast) {
    const { src, step } = fast;
    if (indices) for (let i = 0; i < n; i++) out[i] = src[indices[i]! * step]!;
    else for (let i = 0, j = 0; i < n; i++, j += step) out[i] = src[j]!;
    return out;
  }
  const le = !f.bigEndian;
  const get = f.elementSize === 1 ? (at: number) => view.getUint8(at) : f.elementSize === 2 ? (at: number) => view.getUint16(at, le) : (at: number) => view.getUint32(at, le);
  if (indices) for (let i = 0; i < n; i++) out[i] = get(start + indices[i]! * stride);
  else for (let i = 0, at = start; i < n; i++, at += stride) out[i] = get(at);
  return out;
}
