import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { columnArray, type Column } from '../../src/codec/column.js';
import { copyEntry, copyEntryInUse, denseSource, inUseSource, indexedSource, nonZeroTest, POSITION_MASK, UNROLL, unrolledLoop, valueOf, wordSlice } from '../../src/codec/column-source.js';
import { DeviceList } from '../../src/codec/device-list.js';
import { layoutStructs, type FieldLayout, type StructLayout } from '../../src/layout/engine.js';
import { readInt, writeInt } from '../../src/layout/field-io.js';
import { abis, decode, UsageError, type PciAbi } from '../../src/index.js';

const pci = abis.filter((a): a is PciAbi => a.kind === 'pci');
const flat = pci.filter((a) => a.storage === 'inline');
const v2 = pci.find((a) => a.id === 'pci-v2/flat8-max32')!;
const field = (s: StructLayout, name: string) => s.fields.find((f) => f.name === name)!;

/** A packed struct laid out by the layout engine from a definition written here. */
function struct(fields: Array<{ name: string; type: string }>): StructLayout {
  return layoutStructs([{ name: 'pci_dev_ser', packed: true, fields } as never]).get('pci_dev_ser')!;
}

/** What the entry iterator gives for each field: the reference the columns must equal. */
function iterated(list: DeviceList, fields: readonly FieldLayout[]): Record<string, number[]> {
  const devices = [...list] as unknown as Array<Record<string, number>>;
  return Object.fromEntries(fields.map((f) => [f.name, devices.map((d) => d[f.name]!)]));
}

/** The same bytes at byte `shift` of a fresh buffer (so 4-byte alignment comes and goes). */
function shifted(bytes: Uint8Array, shift: number): Uint8Array {
  const out = new Uint8Array(new ArrayBuffer(bytes.length + shift), shift, bytes.length);
  out.set(bytes);
  return out;
}

describe('the generated pieces', () => {
  const [domain, bdf, refcount] = v2.entry.fields as [FieldLayout, FieldLayout, FieldLayout];

  it('places each field in a little-endian 32-bit word, or refuses', () => {
    expect([domain, bdf, refcount].map(wordSlice)).toEqual([{ word: 0, shift: 0, bits: 32 }, { word: 1, shift: 0, bits: 16 }, { word: 1, shift: 16, bits: 16 }]);
    const odd = struct([{ name: 'a', type: 'u8' }, { name: 'b', type: 'u16' }, { name: 'c', type: '__be16' }, { name: 'd', type: 'u16' }, { name: 'e', type: 'u8' }]);
    expect(odd.fields.map(wordSlice)).toEqual([{ word: 0, shift: 0, bits: 8 }, { word: 0, shift: 8, bits: 16 }, null, { word: 1, shift: 8, bits: 16 }, { word: 1, shift: 24, bits: 8 }]);
  });

  it('reads a field from its word or its DataView getter, and tests it for zero', () => {
    expect([domain, bdf, refcount].map((f) => valueOf(f, 'words'))).toEqual(['w0', 'w1', 'w1 >>> 16']);
    expect(valueOf(bdf, 'view')).toBe('src.getUint16(q + 4, true)');
    expect([domain, bdf, refcount].map((f) => nonZeroTest(f, 'words'))).toEqual(['w0 !== 0', '(w1 & 0xffff) !== 0', 'w1 >>> 16 !== 0']);
    expect(nonZeroTest(refcount, 'view')).toBe('src.getUint16(q + 6, true) !== 0');
  });

  it('copies an entry with one load per word, and counts a slot only when in use', () => {
    expect(copyEntry(v2.entry.fields, 'words', 'p + 2', 'i + 1')).toBe('{ const q = p + 2; const w0 = src[q]; const w1 = src[q + 1]; c0[i + 1] = w0; c1[i + 1] = w1; c2[i + 1] = w1 >>> 16; }');
    expect(copyEntryInUse([bdf], refcount, 'words', 'p')).toBe('{ const q = p; const w1 = src[q + 1]; c0[n] = w1; n += w1 >>> 16 !== 0 ? 1 : 0; }');
    expect(copyEntry([domain], 'view', 'p', 'i')).toBe('{ const q = p; c0[i] = src.getUint32(q + 0, true); }');
  });

  it('unrolls the loop, its positions masked (no overflow checks), then finishes one entry at a time', () => {
    const loop = unrolledLoop('n', 2, (k) => `B${k}`);
    expect(loop).toContain(`for (; first + ${UNROLL} <= n; first += ${UNROLL}, firstAt += ${2 * UNROLL}) {`);
    expect(loop).toContain(`const i = first & 0x${POSITION_MASK.toString(16)}, p = firstAt & 0x${POSITION_MASK.toString(16)};`);
    expect(loop.match(/B\d+/g)).toEqual([...Array.from({ length: UNROLL }, (_, k) => `B${k}`), 'B0']);
    expect(loop).toContain('for (let i = first, p = firstAt; i < n; i++, p += 2) B0');
    expect(unrolledLoop('n', null, () => 'B')).not.toMatch(/\bp\b/);
  });

  it('generates functions that compile, for every pci_dev_ser layout and both sources', () => {
    for (const a of pci) {
      const inUse = a.roles.refcount ?? a.entry.fields[0]!;
      for (const kind of ['words', 'view'] as const) {
        if (kind === 'words' && !a.entry.fields.every((f) => wordSlice(f))) continue;
        const step = kind === 'words' ? a.entry.size / 4 : a.entry.size;
        const source = [denseSource(a.entry.fields, kind, step), indexedSource(a.entry.fields, kind, step), inUseSource(a.entry.fields, inUse, kind, step)].join('\n');
        expect(() => new Function(`${source}\nreturn [dense, indexed, inUse];`)(), `${a.id} ${kind}`).not.toThrow();
      }
    }
  });
});

/** A flat blob of an id: the root claiming `slots` entries (nr and max alike), then the entry bytes. */
function flatBlob(abi: PciAbi, entries: Uint8Array, slots: number): Uint8Array {
  const bytes = new Uint8Array(abi.roles.devices.offset + entries.length);
  bytes.set(entries, abi.roles.devices.offset);
  const view = new DataView(bytes.buffer);
  for (const role of [abi.roles.nr, abi.roles.max]) if (role) writeInt(view, role.offset, role, BigInt(slots));
  return bytes;
}

/** Entry bytes for `slots` entries of a layout; refcounts (where there is one) often zero, so some slots are free. */
const entryBytes = (abi: PciAbi) =>
  fc.tuple(fc.nat(40), fc.integer({ min: 0, max: 3 })).chain(([slots, free]) =>
    fc.uint8Array({ minLength: slots * abi.entry.size, maxLength: slots * abi.entry.size }).map((raw) => {
      const rc = abi.roles.refcount;
      if (rc) for (let i = 0; i < slots; i++) if ((i * 7 + free) % 4 < free) raw.fill(0, i * abi.entry.size + rc.offset, i * abi.entry.size + rc.offset + rc.size);
      return { raw, slots };
    }),
  );

describe.each(flat.map((a) => [a.id, a] as const))('%s: columns', (_, abi) => {
  const fields = abi.entry.fields;

  test.prop([entryBytes(abi), fc.nat(3)])('columns() and column(name) equal the iterator, aligned or not', ({ raw, slots }, shift) => {
    const bytes = shifted(flatBlob(abi, raw, slots), shift);
    const all = decode(bytes, abi.id).devices!.columns() as Record<string, Column>;
    const want = iterated(decode(bytes, abi.id).devices!, fields);
    for (const f of fields) {
      expect(all[f.name]).toBeInstanceOf(columnArray(f));
      expect([...all[f.name]!]).toEqual(want[f.name]);
      expect([...decode(bytes, abi.id).devices!.column(f.name)]).toEqual(want[f.name]);
    }
  });

  test.prop([entryBytes(abi), fc.nat(3), fc.boolean()])('columns(into) fills lent arrays, one pass when they have a row for every slot', ({ raw, slots }, shift, everySlot) => {
    const bytes = shifted(flatBlob(abi, raw, slots), shift);
    const devices = decode(bytes, abi.id).devices!;
    const want = iterated(decode(bytes, abi.id).devices!, fields);
    const n = want[fields[0]!.name]!.length;
    const lent = Object.fromEntries(fields.map((f) => [f.name, new (columnArray(f))(everySlot ? slots + 2 : n).fill(7)]));
    const got = devices.columns(lent as never) as Record<string, Column>;
    for (const f of fields) {
      expect(got[f.name]!.buffer).toBe(lent[f.name]!.buffer);
      expect([...got[f.name]!]).toEqual(want[f.name]);
    }
    // The list learnt what the pass found: length, entries and indices agree with a fresh decode.
    expect(devices.length).toBe(n);
    expect([...devices].map((d) => d.toJSON())).toEqual([...decode(bytes, abi.id).devices!].map((d) => d.toJSON()));
    expect(devices.columns()).toEqual(decode(bytes, abi.id).devices!.columns());
  });
});

describe('columns of entry layouts the registry does not have', () => {
  const layouts: Array<[string, StructLayout, string | null]> = [
    ['big-endian fields', struct([{ name: 'domain', type: '__be32' }, { name: 'bdf', type: '__be16' }, { name: 'refcount', type: '__be16' }]), 'refcount'],
    ['a field across a word boundary', struct([{ name: 'x', type: 'u8' }, { name: 'domain', type: 'u32' }, { name: 'bdf', type: 'u16' }, { name: 'refcount', type: 'u8' }]), 'refcount'],
    ['signed and byte fields inside words', struct([{ name: 'a', type: 's8' }, { name: 'b', type: 's16' }, { name: 'c', type: 'u8' }, { name: 'domain', type: 's32' }, { name: 'bdf', type: 'u16' }, { name: 'refcount', type: 's16' }]), 'refcount'],
    ['a 32-bit in-use field', struct([{ name: 'domain', type: 'u16' }, { name: 'bdf', type: 'u16' }, { name: 'refcount', type: 'u32' }]), 'refcount'],
    ['every slot in use', struct([{ name: 'domain', type: 'u16' }, { name: 'bdf', type: 'u16' }]), null],
  ];

  describe.each(layouts)('%s', (_, entry, inUseName) => {
    const inUse = inUseName ? field(entry, inUseName) : null;
    test.prop([fc.uint8Array({ maxLength: 400 }), fc.nat(7), fc.boolean()])('equal the generic integer reader, whatever the alignment', (raw, shift, lend) => {
      const bytes = shifted(raw, shift);
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const base = Math.min(shift, raw.length);
      const slots = Math.floor((raw.length - base) / entry.size);
      const inUseSlots = Array.from({ length: slots }, (_, i) => i).filter((i) => !inUse || readInt(bytes, base + i * entry.size + inUse.offset, inUse) !== 0);
      const list = new DeviceList(view, base, entry, slots, inUse);
      const lent = lend ? Object.fromEntries(entry.fields.map((f) => [f.name, new (columnArray(f))(slots)])) : {};
      const got = list.columns(lent as never) as Record<string, Column>;
      for (const f of entry.fields) {
        const want = inUseSlots.map((i) => Number(readInt(bytes, base + i * entry.size + f.offset, f)));
        expect([...got[f.name]!]).toEqual(want);
        expect([...new DeviceList(view, base, entry, slots, inUse).column(f.name)]).toEqual(want);
      }
    });
  });
});

describe('columns(into) refusals', () => {
  const bytes = flatBlob(v2, Uint8Array.of(1, 0, 0, 0, 0x10, 0, 1, 0, 2, 0, 0, 0, 0x11, 0, 1, 0, 3, 0, 0, 0, 0x12, 0, 0, 0), 3);

  it('takes the columns, lent or not, and gives only the in-use rows', () => {
    const domain = new Uint32Array(3).fill(9);
    const got = decode(bytes, 'pci-v2/flat8-max32').devices.columns({ domain });
    expect([...got.domain]).toEqual([1, 2]);
    expect([...got.bdf]).toEqual([0x10, 0x11]);
    expect([...got.refcount]).toEqual([1, 1]);
    expect(got.domain.buffer).toBe(domain.buffer);
  });

  it('refuses an array of another type, or one too short, before writing anything', () => {
    const devices = decode(bytes, 'pci-v2/flat8-max32').devices;
    expect(() => devices.columns({ bdf: new Uint32Array(3) })).toThrow(UsageError);
    expect(() => devices.columns({ bdf: new Uint32Array(3) })).toThrow('into.bdf: expected a Uint16Array for u16 bdf');
    const short = new Uint16Array(1).fill(5);
    const domain = new Uint32Array(3).fill(9);
    expect(() => devices.columns({ domain, refcount: short })).toThrow('into.refcount: has room for 1 values, 2 devices are in use');
    expect([...short, ...domain]).toEqual([5, 9, 9, 9]);
  });
});
