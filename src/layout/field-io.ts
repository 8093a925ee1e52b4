import type { FieldLayout, StructLayout } from './engine.js';

/** Read one integer element of a field: a number up to 32 bits, a bigint for 64. */
export function readInt(view: DataView, offset: number, f: FieldLayout): number | bigint {
  const le = !f.bigEndian;
  switch (f.elementSize) {
    case 1:
      return f.signed ? view.getInt8(offset) : view.getUint8(offset);
    case 2:
      return f.signed ? view.getInt16(offset, le) : view.getUint16(offset, le);
    case 4:
      return f.signed ? view.getInt32(offset, le) : view.getUint32(offset, le);
    case 8:
      return f.signed ? view.getBigInt64(offset, le) : view.getBigUint64(offset, le);
    default:
      throw new Error(`field ${f.name}: no integer of ${f.elementSize} bytes`);
  }
}

/**
 * An unsigned integer of 0 to 8 bytes at `at`, composed from the bytes (no DataView to allocate,
 * which is most of the cost on small blobs): a number while exact, a bigint for a u64 past 2^53.
 */
export function readUnsigned(bytes: Uint8Array, at: number, size: number, bigEndian = false): number | bigint {
  if (size !== 8) return bigEndian ? readBe(bytes, at, size) : readLe(bytes, at, size);
  const hi = bigEndian ? readBe(bytes, at, 4) : readLe(bytes, at + 4, 4);
  const lo = bigEndian ? readBe(bytes, at + 4, 4) : readLe(bytes, at, 4);
  return hi < 0x200000 ? hi * 0x1_0000_0000 + lo : (BigInt(hi) << 32n) | BigInt(lo);
}

function readLe(b: Uint8Array, at: number, size: number): number {
  if (size === 4) return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
  if (size === 2) return b[at]! | (b[at + 1]! << 8);
  return size === 1 ? b[at]! : 0;
}

function readBe(b: Uint8Array, at: number, size: number): number {
  let v = 0;
  for (let i = 0; i < size; i++) v = v * 256 + b[at + i]!;
  return v;
}

/** Write one integer element of a field; the value must already be range-checked. */
export function writeInt(view: DataView, offset: number, f: FieldLayout, value: bigint): void {
  const le = !f.bigEndian;
  switch (f.elementSize) {
    case 1:
      return f.signed ? view.setInt8(offset, Number(value)) : view.setUint8(offset, Number(value));
    case 2:
      return f.signed ? view.setInt16(offset, Number(value), le) : view.setUint16(offset, Number(value), le);
    case 4:
      return f.signed ? view.setInt32(offset, Number(value), le) : view.setUint32(offset, Number(value), le);
    case 8:
      return f.signed ? view.setBigInt64(offset, value, le) : view.setBigUint64(offset, value, le);
    default:
      throw new Error(`field ${f.name}: no integer of ${f.elementSize} bytes`);
  }
}

/** The integer members of a struct at `at`, by name (arrays and nested structs are left out). */
export function readStruct(bytes: Uint8Array, at: number, s: StructLayout): Record<string, number | bigint> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: Record<string, number | bigint> = {};
  for (const f of s.fields) if (isPlainInt(f)) out[f.name] = readInt(view, at + f.offset, f);
  return out;
}

/** Write the integer members of a struct at `at`; members not given are left as they are. */
export function writeStruct(bytes: Uint8Array, at: number, s: StructLayout, values: Readonly<Record<string, number | bigint>>): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const f of s.fields) {
    const v = values[f.name];
    if (v !== undefined && isPlainInt(f)) writeInt(view, at + f.offset, f, BigInt(v));
  }
}

function isPlainInt(f: FieldLayout): boolean {
  return f.kind === 'int' && f.count === undefined && !f.flexible;
}
