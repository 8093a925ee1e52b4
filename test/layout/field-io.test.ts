import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { readInt, readIntSource, type IntField } from '../../src/layout/field-io.js';

/** The same integer through Node's Buffer readers, which share no code with readInt. */
function bufferRead(bytes: Uint8Array, at: number, f: IntField): number | bigint {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (f.elementSize === 8) {
    if (f.bigEndian) return f.signed ? b.readBigInt64BE(at) : b.readBigUInt64BE(at);
    return f.signed ? b.readBigInt64LE(at) : b.readBigUInt64LE(at);
  }
  if (f.bigEndian) return f.signed ? b.readIntBE(at, f.elementSize) : b.readUIntBE(at, f.elementSize);
  return f.signed ? b.readIntLE(at, f.elementSize) : b.readUIntLE(at, f.elementSize);
}

const fieldArb = fc.record({ elementSize: fc.constantFrom(1, 2, 4, 8), signed: fc.boolean(), bigEndian: fc.boolean() });

describe('readInt: the one integer reader', () => {
  test.prop([fc.uint8Array({ minLength: 8, maxLength: 40 }), fc.nat(32), fieldArb])(
    'reads what Buffer reads, every size, sign and byte order, at any offset of a view into a larger buffer',
    (raw, shift, f) => {
      const bytes = raw.subarray(Math.min(shift, raw.length - 8));
      for (let at = 0; at + f.elementSize <= bytes.length; at++) expect(readInt(bytes, at, f)).toBe(bufferRead(bytes, at, f));
    },
  );

  it('gives a number up to 32 bits and a bigint for 64, at the edges of each', () => {
    const ones = new Uint8Array(8).fill(0xff);
    expect(readInt(ones, 0, { elementSize: 4, signed: false, bigEndian: false })).toBe(0xffffffff);
    expect(readInt(ones, 0, { elementSize: 4, signed: true, bigEndian: true })).toBe(-1);
    expect(readInt(ones, 0, { elementSize: 8, signed: false, bigEndian: false })).toBe(2n ** 64n - 1n);
    expect(readInt(ones, 0, { elementSize: 8, signed: true, bigEndian: false })).toBe(-1n);
    const pastDouble = Uint8Array.of(1, 0, 0, 0, 0, 0, 0x20, 0); // 2^53 + 1, not exact in a double
    expect(readInt(pastDouble, 0, { elementSize: 8, signed: false, bigEndian: false })).toBe(2n ** 53n + 1n);
  });

  it('numberWhenExact: an unsigned 64-bit value below 2^53 as a number, the rest still bigints', () => {
    const u64 = { elementSize: 8, signed: false, bigEndian: false };
    const below = Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x1f, 0); // 2^53 - 1
    expect(readInt(below, 0, u64, true)).toBe(2 ** 53 - 1);
    expect(readInt(Uint8Array.of(0, 0, 0, 0, 0, 0, 0x20, 0), 0, u64, true)).toBe(2n ** 53n);
    expect(readInt(new Uint8Array(8).fill(0xff), 0, { ...u64, signed: true }, true)).toBe(-1n);
    expect(readInt(Uint8Array.of(1, 2), 0, { elementSize: 2, signed: false, bigEndian: true }, true)).toBe(0x102);
  });

  it('refuses to read past either end or a size that is no C integer', () => {
    const four = new Uint8Array(4);
    expect(() => readInt(four, 1, { elementSize: 4, signed: false, bigEndian: false })).toThrow(RangeError);
    expect(() => readInt(four, -1, { elementSize: 1, signed: false, bigEndian: false })).toThrow(RangeError);
    expect(() => readInt(four, 0, { elementSize: 3, signed: false, bigEndian: false })).toThrow(/no integer of 3 bytes/);
  });
});

describe('readIntSource: readInt as an expression, for compiled loops', () => {
  const unsignedArb = fc.record({ elementSize: fc.constantFrom(1, 2, 4), signed: fc.constant(false), bigEndian: fc.boolean(), offset: fc.nat(12) });
  test.prop([fc.uint8Array({ minLength: 24, maxLength: 24 }), fc.nat(4), unsignedArb])('evaluates to what readInt reads', (bytes, at, f) => {
    const read = new Function('bytes', 'at', `return ${readIntSource(f, 'bytes', 'at')};`) as (b: Uint8Array, at: number) => number;
    expect(read(bytes, at)).toBe(readInt(bytes, at + f.offset, f));
  });

  it('is only for one unsigned integer of up to 4 bytes', () => {
    expect(() => readIntSource({ elementSize: 2, signed: true, bigEndian: false, offset: 0 }, 'b', 'i')).toThrow(RangeError);
    expect(() => readIntSource({ elementSize: 8, signed: false, bigEndian: false, offset: 0 }, 'b', 'i')).toThrow(RangeError);
    expect(() => readIntSource({ elementSize: 1, signed: false, bigEndian: false, offset: 0, count: 2 }, 'b', 'i')).toThrow(RangeError);
  });
});
