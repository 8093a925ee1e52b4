import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { unknownKeyFinder, unknownKeySource } from '../../src/codec/device-keys.js';
import { copierSource, fitsSource, objectWriterSource, shapeOf, storeSource } from '../../src/codec/entry-writer.js';
import { validBlobArb, flatAbis } from '../../src/fuzz/arbitraries.js';
import { UsageError, decode, encode, fromJson, getAbi, toJson, type EncodeDevice, type PciAbi } from '../../src/index.js';
import { formatAddress } from '../../src/pci-address.js';
import { layoutStructs } from '../../src/layout/engine.js';
import { numRuns } from '../property/runs.js';

const v2 = getAbi('pci-v2/flat8-max32');
const sorted = getAbi('pci-v1/flat8-max64');

/** A struct laid out by the layout engine from a definition written here. */
function fields(defs: Array<{ name: string; type: string }>) {
  return layoutStructs([{ name: 'pci_dev_ser', packed: true, fields: defs } as never]).get('pci_dev_ser')!.fields;
}

describe('the generated pieces', () => {
  it('checks a value with one operation on its bits, after typeof (bitwise operators throw on a bigint)', () => {
    const [u8, s16, u32, s32] = fields([{ name: 'a', type: 'u8' }, { name: 'b', type: 's16' }, { name: 'c', type: 'u32' }, { name: 'd', type: 's32' }]);
    expect(fitsSource('v', u8!)).toBe("typeof v === 'number' && (v & 255) === v");
    expect(fitsSource('v', s16!)).toBe("typeof v === 'number' && ((v << 16) >> 16) === v");
    expect(fitsSource('v', u32!)).toBe("typeof v === 'number' && (v >>> 0) === v");
    expect(fitsSource('v', s32!)).toBe("typeof v === 'number' && (v | 0) === v");
    for (const [f, ok, bad] of [[u8!, [0, 255], [256, -1, 1.5, NaN]], [s16!, [-32768, 32767], [32768, -32769]], [u32!, [0, 2 ** 32 - 1], [2 ** 32, -1]], [s32!, [-(2 ** 31), 2 ** 31 - 1], [2 ** 31]]] as const) {
      const fits = new Function('v', `return ${fitsSource('v', f)};`) as (v: unknown) => boolean;
      for (const v of ok) expect(fits(v)).toBe(true);
      for (const v of [...bad, 1n, '1', undefined]) expect(fits(v)).toBe(false);
    }
  });

  it('stores a field with one DataView store at its offset, in its byte order', () => {
    const [domain, bdf] = v2.entry.fields;
    expect(storeSource(domain!, 'v0', 'at')).toBe('view.setUint32(at + 0, v0, true);');
    expect(storeSource(bdf!, 'v1', 'at')).toBe('view.setUint16(at + 4, v1, true);');
    const [x, y] = fields([{ name: 'x', type: 'u8' }, { name: 'y', type: '__be16' }]);
    expect([storeSource(x!, 'a', 'p'), storeSource(y!, 'b', 'p')]).toEqual(['view.setUint8(p + 0, a);', 'view.setUint16(p + 1, b, false);']);
  });

  it('writes objects with a check per field, refcount 0 refused where it marks a free slot, the address compared', () => {
    const src = objectWriterSource(v2);
    expect(src).toContain("if (!(typeof v2 === 'number' && (v2 & 65535) === v2 && v2 !== 0)) break fast;");
    expect(src).toContain("isAddressOf(address, v0, v1)");
    expect(src).toContain('const limit = slots;');
    const s = objectWriterSource(sorted);
    expect(s).toContain('const limit = Math.min(slots, nr);');
    expect(s).toContain('if (v2 !== undefined) view.setUint16(at + 6, v2, true);');
  });

  it('copies entries with a load and a store per field, and hands a freed or out-of-range entry to the checked path', () => {
    const src = copierSource(v2);
    expect(src).toContain('const v0 = src.getUint32(s + 0, true);');
    expect(src).toContain('if (false || index >= limit || used[index] !== 0 || v2 === 0) {');
    expect(copierSource(sorted)).toContain('if (false || index >= limit || used[index] !== 0) {');
  });

  it('tells device shapes apart by the decoded class or the keys of the first device', () => {
    const d = decode(encode({ root: { max_nr_devices: 1, nr_devices: 1 }, devices: [{ domain: 0, bdf: 8, refcount: 1 }] }, v2.id), v2.id);
    expect(shapeOf(d.devices.toArray())).toBe('class pci_dev_ser');
    expect(shapeOf([{ domain: 0, bdf: 8 }])).toBe('keys domain,bdf');
    expect(shapeOf([{ bdf: 8, domain: 0 }])).not.toBe(shapeOf([{ domain: 0, bdf: 8 }]));
    expect(shapeOf(d.devices)).toBe('');
    expect(shapeOf([])).toBe('');
  });

  it('finds unknown device keys by comparing each with the known names', () => {
    expect(unknownKeySource(v2)).toContain("key !== 'index' && key !== 'address' && key !== 'domain' && key !== 'bdf' && key !== 'refcount'");
    const find = unknownKeyFinder(sorted);
    expect(find({ index: 0, address: '0000:00:01.0', domain: 0, bdf: 8, reserved: 0 })).toBeUndefined();
    expect(find({ domain: 0, reservd: 0 })).toBe('reservd');
    expect(find(Object.create({ inherited: 1 }))).toBe('inherited');
    expect(unknownKeyFinder(v2)({ reserved: 0 })).toBe('reserved');
  });
});

/** Every device shape the library hands out or a user builds, for the same blob. */
function shapes(abi: PciAbi, bytes: Uint8Array) {
  const d = decode(bytes, abi.id);
  const json = toJson(d);
  const plain = json.devices!.map(({ address: _a, ...rest }) => rest);
  return {
    'DeviceList': d.devices!,
    'toArray()': d.devices!.toArray(),
    'toJson()': json.devices!,
    'JSON.parse': fromJson(JSON.parse(JSON.stringify(json)), abi.id).devices!,
    'plain': plain,
    'plain without index': abi.semantics === 'sorted' ? plain.map(({ index: _i, ...rest }) => rest) : plain,
  };
}

describe.each(flatAbis.map((a) => [a.id, a] as const))('%s: every device shape', (_, abi) => {
  test.prop([validBlobArb(abi)], { numRuns })('encodes to the same bytes, whichever shape and path', (g) => {
    const bytes = encode(g, abi.id);
    const d = decode(bytes, abi.id);
    const want = encode({ root: d.root, devices: [...d.devices!].map((dev) => ({ ...dev.toJSON() })), size: d.size, extra: d.extra }, abi.id);
    expect(want).toEqual(bytes);
    for (const [name, devices] of Object.entries(shapes(abi, bytes))) {
      expect(encode({ root: d.root, devices, size: d.size, extra: d.extra }, abi.id), name).toEqual(bytes);
    }
  });
});

describe('a DeviceList copied from its bytes', () => {
  const root = { max_nr_devices: 3, nr_devices: 3 };
  const three = () => decode(encode({ root, devices: [0, 1, 2].map((i) => ({ domain: i, bdf: 8 * i, refcount: 1 })) }, v2.id), v2.id);

  it('refuses what the checked path refuses: a slot past the root, a refcount freed since decode', () => {
    const d = three();
    expect(() => encode({ root: { max_nr_devices: 2, nr_devices: 2 }, devices: d.devices }, v2.id)).toThrow(/devices\[2\]: index 2 is not a slot of this blob \(0\.\.1\)/);
    d.bytes[8 + 8 + 6] = 0; // slot 1's refcount, after decode listed it in use
    expect(() => encode({ root, devices: d.devices }, v2.id)).toThrow(/devices\[1\]\.refcount: refcount 0 marks a free slot/);
  });

  it('takes a list of another layout field by field, and refuses a skeleton', () => {
    const d = three();
    const other = getAbi('pci-v3/flat8-max32');
    expect(decode(encode({ root, devices: d.devices }, other.id), other.id).devices.toArray().map((x) => x.toJSON())).toEqual(d.devices.toArray().map((x) => x.toJSON()));
    expect(() => encode({ root: { max_nr_devices: 3, nr_devices: 0 }, devices: d.devices }, 'pci-v1/flat8-max32')).toThrow(UsageError);
  });
});

describe('writers per device shape', () => {
  const root = { max_nr_devices: 2, nr_devices: 2 };
  const base = [{ index: 0, domain: 1, bdf: 2, refcount: 1 }, { index: 1, domain: 3, bdf: 4, refcount: 1 }];

  it('stay correct past the number kept per layout, mixed shapes in one array included', () => {
    const want = encode({ root, devices: base }, v2.id);
    const orders = [['index', 'domain', 'bdf', 'refcount'], ['refcount', 'bdf', 'domain', 'index'], ['domain', 'bdf', 'refcount'], ['bdf', 'index', 'refcount', 'domain']];
    for (let i = 0; i < 12; i++) {
      const keys = orders[i % orders.length]!;
      const devices: Array<Record<string, number | string>> = base.map((dev) => Object.fromEntries(keys.map((k) => [k, dev[k as keyof typeof dev]])));
      if (i >= orders.length) devices.forEach((dev) => (dev.address = formatAddress(dev.domain as number, dev.bdf as number)));
      expect(encode({ root, devices }, v2.id)).toEqual(want);
    }
    expect(encode({ root, devices: [base[0]!, { address: '0003:00:00.4', refcount: 1, index: 1 }] }, v2.id)).toEqual(want);
    expect(() => encode({ root, devices: [base[0]!, { ...base[1]!, address: '0003:00:00.5' }] }, v2.id)).toThrow(/disagrees/);
    expect(() => encode({ root, devices: [base[0]!, { ...base[1]!, address: 7 as never }] }, v2.id)).toThrow(/is not a PCI address/);
  });

  it('refuse a key the layout does not have, in every shape and on every path', () => {
    const extra = (dev: object) => ({ ...dev, refcnt: 1 }) as EncodeDevice;
    expect(() => encode({ root, devices: base.map(extra) }, v2.id)).toThrow(/devices\[0\]: struct pci_dev_ser of pci-v2\/flat8-max32 has no field "refcnt"/);
    expect(() => encode({ root, devices: [base[0]!, extra(base[1]!)] }, v2.id)).toThrow(/devices\[1\]: .* no field "refcnt"/);
    // the checked path (a hex string) and an inherited enumerable key
    expect(() => encode({ root, devices: [{ ...extra(base[0]!), domain: '0x1' }] }, v2.id)).toThrow(/no field "refcnt"/);
    expect(() => encode({ root, devices: [Object.assign(Object.create({ inherited: 1 }), base[0])] }, v2.id)).toThrow(/no field "inherited"/);
    // an iterable, not an array (as JSON text parsed device by device is)
    expect(() => encode({ root, devices: new Set([extra(base[0]!)]) }, v2.id)).toThrow(/devices\[0\]: .* no field "refcnt"/);
    // decoded devices of another layout carry their own fields: pci-v1's reserved is not pci-v2's
    const v1 = decode(encode({ root: { max_nr_devices: 1, nr_devices: 1 }, devices: [{ domain: 0, bdf: 8, reserved: 0 }] }, sorted.id), sorted.id);
    expect(() => encode({ root: { max_nr_devices: 1, nr_devices: 1 }, devices: v1.devices.toArray() }, v2.id)).toThrow(/no field "reserved"/);
  });
});
