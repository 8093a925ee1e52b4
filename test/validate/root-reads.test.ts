import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { layoutStructs, type FieldLayout } from '../../src/layout/engine.js';
import { readInt } from '../../src/layout/field-io.js';
import { abis } from '../../src/registry.js';
import { compileRootRead, compileRootReads, rootReadSource } from '../../src/validate/root-reads.js';

/** Every root field a layout reads by role, with the layout's id. */
const roleFields = abis.flatMap((a) => {
  const { nr, max, version, devices } = a.roles;
  return [nr, max, version, a.storage === 'block-chain' ? devices : undefined].filter((f): f is FieldLayout => f !== undefined).map((f) => [`${a.id} ${f.name}`, f] as const);
});

/** Root bytes whose u64 high halves are often 0 or small (the number paths) and sometimes large (the bigint path). */
const rootBytes = fc.tuple(fc.uint8Array({ minLength: 64, maxLength: 64 }), fc.constantFrom(0, 1, 3, 4, 8)).map(([bytes, keep]) => {
  for (let at = 0; at < bytes.length; at += 8) bytes.fill(0, at + 4 + Math.min(keep, 4), at + 8);
  return bytes;
});

describe('compiled root reads (src/validate/root-reads.ts)', () => {
  test.prop([rootBytes])('read every root field of every layout as readInt(numberWhenExact) does', (bytes) => {
    for (const [where, f] of roleFields) expect(compileRootRead(f)(bytes), where).toBe(readInt(bytes, f.offset, f, true));
  });

  it('compiles an unsigned field to constant offsets: one expression up to 4 bytes, both halves for 8', () => {
    const [u32, u64, be64] = layoutStructs([{ name: 's', packed: true, fields: [{ name: 'a', type: 'u32' }, { name: 'b', type: 'u64' }, { name: 'c', type: '__be64' }] } as never]).get('s')!.fields as [FieldLayout, FieldLayout, FieldLayout];
    expect(rootReadSource(u32)).toBe('return ((bytes[0 + 0] | (bytes[0 + 1] << 8) | (bytes[0 + 2] << 16) | (bytes[0 + 3] << 24)) >>> 0);');
    expect(rootReadSource(u64)).toMatch(/^const lo = \(\(bytes\[0 \+ 4\] .*\nreturn hi === 0 \? lo : hi < 0x200000 \? hi \* 0x100000000 \+ lo : \(BigInt\(hi\) << 32n\) \| BigInt\(lo\);$/);
    const bytes = Uint8Array.from({ length: 20 }, (_, i) => (i * 37 + 11) & 0xff);
    for (const f of [u32, u64, be64]) expect(compileRootRead(f)(bytes), f.name).toBe(readInt(bytes, f.offset, f, true));
  });

  it('falls back to readInt for a field it does not compile (signed)', () => {
    const [s32] = layoutStructs([{ name: 's', packed: true, fields: [{ name: 'a', type: 's32' }] } as never]).get('s')!.fields as [FieldLayout];
    expect(rootReadSource(s32)).toBeUndefined();
    expect(compileRootRead(s32)(Uint8Array.of(0xfe, 0xff, 0xff, 0xff))).toBe(-2);
  });

  it('gives each layout a reader for the roles it has, and none for the others', () => {
    for (const a of abis) {
      const reads = compileRootReads(a);
      expect(reads.max === undefined, a.id).toBe(a.roles.max === undefined);
      expect(reads.version === undefined, a.id).toBe(a.roles.version === undefined);
      expect(reads.head === undefined, a.id).toBe(a.storage !== 'block-chain');
    }
  });
});
