import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { readColumn } from '../../src/codec/column.js';
import { DecodedDevice } from '../../src/codec/device-entry.js';
import { cursorSource, entryClassSource, entryReader, fieldRead, readSource } from '../../src/codec/entry-reader.js';
import { readInt } from '../../src/layout/field-io.js';
import { abis, formatAddress, type PciAbi } from '../../src/index.js';
import { layoutStructs } from '../../src/layout/engine.js';

const pci = abis.filter((a): a is PciAbi => a.kind === 'pci');
const v2 = pci.find((a) => a.id === 'pci-v2/flat8-max32')!;

/** A struct laid out by the layout engine from a definition written here. */
function struct(fields: Array<{ name: string; type: string }>) {
  return layoutStructs([{ name: 'pci_dev_ser', packed: true, fields } as never]).get('pci_dev_ser')!;
}

describe('the generated pieces', () => {
  it('reads a field with one DataView load at its offset, in its byte order', () => {
    const [domain, bdf] = v2.entry.fields;
    expect(fieldRead(domain!, 'view', 'at')).toBe('view.getUint32(at + 0, true)');
    expect(fieldRead(bdf!, 'view', 'at')).toBe('view.getUint16(at + 4, true)');
    const be = struct([{ name: 'x', type: 'u8' }, { name: 'y', type: '__be16' }, { name: 'z', type: 's32' }]);
    expect(be.fields.map((f) => fieldRead(f, 'v', 'p'))).toEqual(['v.getUint8(p + 0)', 'v.getUint16(p + 1, false)', 'v.getInt32(p + 3, true)']);
  });

  it('names the class after the struct and keeps index first, then the fields in order', () => {
    expect(entryClassSource(v2.entry)).toBe(
      'class pci_dev_ser extends DecodedDevice { constructor(index, domain, bdf, refcount) { super(); this.index = index; this.domain = domain; this.bdf = bdf; this.refcount = refcount; } }',
    );
    expect(readSource(v2.entry)).toBe(
      'function read(view, at, index) { return new pci_dev_ser(index, view.getUint32(at + 0, true), view.getUint16(at + 4, true), view.getUint16(at + 6, true)); }',
    );
    expect(cursorSource(v2.entry)).toContain('read(this.view, this.base + index * 8, index)');
  });

  it('refuses an entry it cannot hand out as plain properties', () => {
    expect(() => entryReader(struct([{ name: 'address', type: 'u32' }]))).toThrow(/field name address/);
    expect(() => entryReader(struct([{ name: 'domain', type: 'u64' }]))).toThrow(/at most 32 bits/);
  });
});

describe.each(pci.map((a) => [a.id, a] as const))('%s: entry objects', (_, abi) => {
  const { entry } = abi;
  test.prop([fc.uint8Array({ minLength: entry.size * 4, maxLength: entry.size * 4 }), fc.nat(3)])('read() agrees with the generic integer reader', (bytes, slot) => {
    const view = new DataView(bytes.buffer);
    const dev = entryReader(entry).read(view, slot * entry.size, slot) as DecodedDevice & Record<string, number>;
    expect(dev).toBeInstanceOf(DecodedDevice);
    expect(Object.keys(dev)).toEqual(['index', ...entry.fields.map((f) => f.name)]);
    expect(dev.index).toBe(slot);
    for (const f of entry.fields) expect(dev[f.name]).toBe(readInt(bytes, slot * entry.size + f.offset, f));
    expect(dev.address).toBe(formatAddress(dev.domain, dev.bdf));
    const json = dev.toJSON();
    expect(Object.keys(json)).toEqual(['index', 'domain', 'bdf', 'address', ...entry.fields.map((f) => f.name).filter((n) => n !== 'domain' && n !== 'bdf')]);
    expect(JSON.parse(JSON.stringify(dev))).toEqual(json);
  });

  it('iterates dense and indexed lists in storage order, a fresh iterator each time', () => {
    const bytes = Uint8Array.from({ length: entry.size * 5 }, (_, i) => (i * 37) & 0xff);
    const view = new DataView(bytes.buffer);
    const { read, entries } = entryReader(entry);
    const at = (i: number) => read(view, i * entry.size, i).toJSON();
    expect([...entries(view, 0, null, 5)].map((d) => d.toJSON())).toEqual([0, 1, 2, 3, 4].map(at));
    expect([...entries(view, 0, Uint32Array.of(1, 4), 2)].map((d) => d.toJSON())).toEqual([1, 4].map(at));
    expect([...entries(view, 0, null, 0)]).toEqual([]);
  });
});

describe('readColumn', () => {
  const fields = struct([{ name: 'a', type: 'u8' }, { name: 'b', type: '__be16' }, { name: 'c', type: 's16' }, { name: 'd', type: 'u32' }, { name: 'e', type: 's8' }]);
  test.prop([fc.uint8Array({ minLength: 1, maxLength: 200 }), fc.nat(3), fc.boolean()])(
    'gives what the integer reader gives, aligned or not, either byte order, dense or indexed',
    (raw, shift, indexed) => {
      const stride = fields.size;
      const view = new DataView(raw.buffer, Math.min(shift, raw.length), raw.length - Math.min(shift, raw.length));
      const slots = Math.floor(view.byteLength / stride);
      const indices = indexed ? Uint32Array.from({ length: slots }, (_, i) => slots - 1 - i) : null;
      for (const f of fields.fields) {
        const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
        const want = Array.from({ length: slots }, (_, i) => Number(readInt(bytes, (indices ? indices[i]! : i) * stride + f.offset, f)));
        expect([...readColumn(view, f.offset, stride, f, indices, slots)]).toEqual(want);
      }
    },
  );

  it.each([0, 2])('reads pci_dev_ser columns of a view at byte %i of its buffer', (shift) => {
    const bytes = new Uint8Array(8 * 3 + shift);
    const view = new DataView(bytes.buffer, shift);
    view.setUint32(0, 0xdeadbeef, true);
    view.setUint16(12, 0x3b00, true);
    const [domain, bdf] = v2.entry.fields;
    expect([...readColumn(view, 0, 8, domain!, null, 3)]).toEqual([0xdeadbeef, 0, 0]);
    expect([...readColumn(view, 4, 8, bdf!, Uint32Array.of(1), 1)]).toEqual([0x3b00]);
  });
});
