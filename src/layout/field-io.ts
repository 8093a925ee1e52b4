import type { FieldLayout, StructLayout } from './engine.js';

/** What reading an integer needs to know of a field: element size in bytes, sign, byte order. */
export type IntField = Pick<FieldLayout, 'elementSize' | 'signed' | 'bigEndian'>;

/**
 * One integer element of a field at byte `at`, composed from the bytes (no DataView to allocate,
 * which is most of the cost on small blobs): a number up to 32 bits, a bigint for 64; with
 * `numberWhenExact`, an unsigned 64-bit value below 2^53 is a number too (no bigint to allocate).
 */
export function readInt(bytes: Uint8Array, at: number, f: IntField, numberWhenExact = false): number | bigint {
  const size = f.elementSize;
  if (!(at >= 0 && at + size <= bytes.length)) throw new RangeError(`${size}-byte integer at byte ${at} is outside the ${bytes.length} bytes`);
  if (size === 8) {
    const hi = f.bigEndian ? readBe(bytes, at, 4) : readLe(bytes, at + 4, 4);
    const lo = f.bigEndian ? readBe(bytes, at + 4, 4) : readLe(bytes, at, 4);
    if (hi < 0x200000 && numberWhenExact && !f.signed) return hi * 0x1_0000_0000 + lo;
    const u = hi < 0x200000 ? BigInt(hi * 0x1_0000_0000 + lo) : (BigInt(hi) << 32n) | BigInt(lo);
    return f.signed ? BigInt.asIntN(64, u) : u;
  }
  if (size !== 1 && size !== 2 && size !== 4) throw new RangeError(`no integer of ${size} bytes`);
  const u = f.bigEndian ? readBe(bytes, at, size) : readLe(bytes, at, size);
  return f.signed ? (u << (32 - 8 * size)) >> (32 - 8 * size) : u;
}

/**
 * The JS expression of `readInt` for an unsigned field of at most 4 bytes at byte `at + offset`
 * of `bytes` (both names of variables of the code it goes into), for compiled loops.
 */
export function readIntSource(f: IntField & Pick<FieldLayout, 'offset' | 'count'>, bytes: string, at: string): string {
  const size = f.elementSize;
  if (f.signed || size > 4 || f.count !== undefined) throw new RangeError(`readIntSource reads one unsigned integer of up to 4 bytes, not ${f.signed ? 's' : 'u'}${8 * size}${f.count === undefined ? '' : '[]'}`);
  // Only a 4-byte value needs `>>> 0` (its top bit lands in the sign bit); narrower ones stay
  // small integers, which keeps a compiled loop on integer arithmetic.
  const parts = Array.from({ length: size }, (_, i) => {
    const shift = 8 * (f.bigEndian ? size - 1 - i : i);
    return shift ? `(${bytes}[${at} + ${f.offset + i}] << ${shift})` : `${bytes}[${at} + ${f.offset + i}]`;
  });
  const or = parts.join(' | ');
  return size === 4 ? `((${or}) >>> 0)` : size > 1 ? `(${or})` : or;
}

function readLe(b: Uint8Array, at: number, size: number): number {
  if (size === 4) return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
  return size === 2 ? b[at]! | (b[at + 1]! << 8) : b[at]!;
}

function readBe(b: Uint8Array, at: number, size: number): number {
  if (size === 4) return ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
  return size === 2 ? (b[at]! << 8) | b[at + 1]! : b[at]!;
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

/**
 * The integer members of a struct at `at`, by name (arrays and nested structs are left out);
 * `bigEndian`, when given, is the byte order of every member (a file that says its own, like ELF).
 */
export function readStruct(bytes: Uint8Array, at: number, s: StructLayout, bigEndian?: boolean): Record<string, number | bigint> {
  const out: Record<string, number | bigint> = {};
  for (const f of s.fields) if (isPlainInt(f)) out[f.name] = readInt(bytes, at + f.offset, bigEndian === undefined ? f : { ...f, bigEndian });
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
