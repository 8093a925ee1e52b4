import { describe, expect, it } from 'vitest';
import { BlobError, UsageError, decode, encode, fromJson, getAbi, toJson } from '../../src/index.js';

function slotsBlob(): Uint8Array {
  const b = new Uint8Array(4096);
  const v = new DataView(b.buffer);
  v.setUint32(0, 4, true);
  v.setUint32(4, 2, true);
  v.setUint16(12, 0x3b00, true);
  v.setUint16(14, 1, true);
  v.setUint32(24, 0x10000, true);
  v.setUint16(28, 0x0008, true);
  v.setUint16(30, 1, true);
  b[33] = 5; // stale domain byte in free slot 3
  b[40] = 7; // trailing, close enough to join the same run
  b[100] = 9; // trailing, a run of its own
  return b;
}

describe('decode', () => {
  it('reads slots by refcount and keeps every other non-zero byte as extra', () => {
    const d = decode(slotsBlob(), 'pci-v2/flat8-max32');
    expect(d.root).toEqual({ max_nr_devices: 4, nr_devices: 2 });
    expect(d.devices.toArray().map((dev) => dev.toJSON())).toEqual([
      { index: 0, domain: 0, bdf: 0x3b00, address: '0000:3b:00.0', refcount: 1 },
      { index: 2, domain: 0x10000, bdf: 8, address: '10000:00:01.0', refcount: 1 },
    ]);
    expect(d.extra.map((r) => [r.offset, [...r.bytes]])).toEqual([[33, [5, 0, 0, 0, 0, 0, 0, 7]], [100, [9]]]);
  });

  it('reads a slot blob whose every slot is in use as a dense list', () => {
    const b = new Uint8Array(8 + 3 * 8);
    const v = new DataView(b.buffer);
    v.setUint32(0, 3, true);
    v.setUint32(4, 3, true);
    for (let i = 0; i < 3; i++) {
      v.setUint16(8 + i * 8 + 4, 0x10 + i, true);
      v.setUint16(8 + i * 8 + 6, 1, true);
    }
    const d = decode(b, 'pci-v2/flat8-max32');
    expect(d.devices.length).toBe(3);
    expect([...d.devices.column('bdf')]).toEqual([0x10, 0x11, 0x12]);
    expect(d.devices.at(-1)).toMatchObject({ index: 2, bdf: 0x12 });
  });

  it('fails fast with BLOB_TRUNCATED when a 16-byte blob claims 2^32-1 entries', () => {
    const b = new Uint8Array(16);
    new DataView(b.buffer).setUint32(0, 0xffffffff, true);
    const start = performance.now();
    const err = (() => { try { decode(b, 'pci-v2/flat8-max32'); } catch (e) { return e; } })();
    expect(performance.now() - start).toBeLessThan(50);
    expect(err).toBeInstanceOf(BlobError);
    expect(err).toMatchObject({ rule: 'BLOB_TRUNCATED', offset: 16 });
  });

  it('fails with BLOB_TRUNCATED before the root, for every id', () => {
    for (const id of ['pci-v1/flat4-nomax', 'pci/blk16-v2']) {
      expect(() => decode(new Uint8Array(1), id)).toThrow(BlobError);
    }
  });

  it('decodes a block root and leaves devices to the memory image', () => {
    const b = new Uint8Array(16);
    const v = new DataView(b.buffer);
    v.setUint32(0, 1, true);
    v.setUint32(4, 3, true);
    v.setBigUint64(8, 0x1_2345_6000n, true);
    const d = decode(b, 'pci/blk16-v1');
    expect(d.root).toEqual({ version: 1, nr_devices: 3, devices: 0x1_2345_6000n });
    expect(d.devices).toBeNull();
    expect(toJson(d).root.devices).toBe('0x123456000');
  });
});

describe('encode', () => {
  it('inverts decode --json byte for byte', () => {
    const b = slotsBlob();
    const json = JSON.parse(JSON.stringify(toJson(decode(b, 'pci-v2/flat8-max32'))));
    expect(encode(json, 'pci-v2/flat8-max32')).toEqual(b);
  });

  it('copies the bytes of a decoded blob nobody changed, and re-encodes one whose root or devices were replaced', () => {
    const b = slotsBlob();
    const d = decode(b, 'pci-v2/flat8-max32');
    expect(d.unchanged).toBe(true);
    const copy = encode(d, 'pci-v2/flat8-max32');
    expect(copy).toEqual(b);
    expect(copy.buffer).not.toBe(b.buffer);
    (d.root as { max_nr_devices: number }).max_nr_devices = 3;
    expect(d.unchanged).toBe(false);
    expect(encode(d, 'pci-v2/flat8-max32')).toEqual(Uint8Array.from(b, (x, i) => (i === 0 ? 3 : x)));
    const e = decode(b, 'pci-v2/flat8-max32');
    (e as { devices: unknown }).devices = [e.devices.at(1)];
    expect(e.unchanged).toBe(false);
    expect(encode(e, 'pci-v2/flat8-max32')).toEqual(Uint8Array.from(b, (x, i) => (i >= 8 && i < 16 ? 0 : x)));
    const sorted = decode(encode({ root: { max_nr_devices: 2n, nr_devices: 1n }, devices: [{ domain: 1, bdf: 2, reserved: 0 }] }, 'pci-v1/flat8-max64'), 'pci-v1/flat8-max64');
    (sorted.root as { nr_devices: unknown }).nr_devices = 1; // a number for a u64: the same value, encoded field by field
    expect(sorted.unchanged).toBe(false);
    expect(encode(sorted, 'pci-v1/flat8-max64')).toEqual(sorted.bytes);
  });

  it('encodes a device that decode handed out without formatting its address, and checks a given address by its characters', () => {
    const root = { max_nr_devices: 1, nr_devices: 1 };
    const dev = decode(slotsBlob(), 'pci-v2/flat8-max32').devices.at(1)!;
    expect(encode({ root, devices: [{ ...dev.toJSON(), index: 0 }] }, 'pci-v2/flat8-max32')).toEqual(encode({ root, devices: [{ domain: 0x10000, bdf: 8, refcount: 1 }] }, 'pci-v2/flat8-max32'));
    expect(() => encode({ root, devices: [{ address: '0000:3b:00.0', domain: 0, bdf: 0x3b01, refcount: 1 }] }, 'pci-v2/flat8-max32')).toThrow(/disagrees/);
    expect(encode({ root, devices: [{ address: '0000:3B:00.0', domain: 0, bdf: 0x3b00, refcount: 1 }] }, 'pci-v2/flat8-max32')[12]).toBe(0x00);
  });

  it('refuses a domain that does not fit a u16 field instead of wrapping', () => {
    const input = { root: { max_nr_devices: '1', nr_devices: '1' }, devices: [{ domain: 0x10000, bdf: 0 }] };
    expect(() => encode(input, 'pci-v1/flat4-max64')).toThrow(/devices\[0\]\.domain: 0x10000 does not fit u16 domain/);
  });

  it('refuses missing root fields, unknown fields and raw bytes over a device', () => {
    expect(() => encode({ root: { max_nr_devices: 1 } }, 'pci-v2/flat8-max32')).toThrow(/root.nr_devices: missing/);
    expect(() => encode({ root: { max_nr_devices: 1, nr_devices: 1, x: 1 } }, 'pci-v2/flat8-max32')).toThrow(UsageError);
    const dev = { root: { max_nr_devices: 1, nr_devices: 1 }, devices: [{ domain: 0, bdf: 1, refcount: 1 }] };
    expect(() => encode({ ...dev, extra: [{ offset: 9, hex: 'ff' }] }, 'pci-v2/flat8-max32')).toThrow(/overlap/);
    expect(() => encode({ ...dev, devices: [{ domain: 0, bdf: 1 }] }, 'pci-v2/flat8-max32')).toThrow(/refcount: missing/);
  });

  it('gives the same bytes whichever path a device takes, and refuses what the slow path refuses', () => {
    const root = { max_nr_devices: 3, nr_devices: 2 };
    const fast = encode({ root, devices: [{ index: 0, domain: 1, bdf: 0x3b00, refcount: 1 }, { index: 2, domain: 0, bdf: 8, refcount: 1 }] }, 'pci-v2/flat8-max32');
    // A hex string, an address to parse and a bigint all go through the checked path.
    const slow = encode({ root, devices: [{ index: 0, domain: '0x1', bdf: 0x3b00, refcount: 1n }, { index: 2, address: '0000:00:01.0', refcount: 1 }] }, 'pci-v2/flat8-max32');
    expect(slow).toEqual(fast);
    const dev = { domain: 0, bdf: 8, refcount: 1 };
    expect(() => encode({ root, devices: [{ ...dev, index: 1 }, { ...dev, index: 1 }] }, 'pci-v2/flat8-max32')).toThrow(/devices\[1\]: slot 1 is given twice/);
    expect(() => encode({ root, devices: [{ ...dev, index: 3 }] }, 'pci-v2/flat8-max32')).toThrow(/index 3 is not a slot/);
    expect(() => encode({ root, devices: [{ ...dev, refcount: 0 }] }, 'pci-v2/flat8-max32')).toThrow(/refcount 0 marks a free slot/);
    expect(() => encode({ root: { nr_devices: 1 }, devices: [{ domain: 0, bdf: 1, index: 1 }] }, 'pci-v1/flat4-nomax')).toThrow(/index 1 is not a slot/);
    expect(() => encode({ root: { max_nr_devices: 2, nr_devices: 0 }, devices: [dev] }, 'pci-v1/flat8-max32')).toThrow(/skeleton/);
  });

  it('refuses unknown keys, where a typo would read as an absent field', () => {
    const json = { abi: 'pci-v1/flat8-max64', root: { max_nr_devices: 1, nr_devices: 1 }, devices: [{ index: 0, domain: 0, bdf: 8, reservd: 5 }] };
    expect(() => encode(fromJson(json), 'pci-v1/flat8-max64')).toThrow(/devices\[0\]: struct pci_dev_ser of pci-v1\/flat8-max64 has no field "reservd"/);
    expect(() => encode(fromJson({ ...json, devices: [{ indx: 1, domain: 0, bdf: 8 }] }), 'pci-v1/flat8-max64')).toThrow(/no field "indx"/);
    expect(() => fromJson({ ...json, device: [] })).toThrow(/unknown key "device"/);
    expect(() => encode({ ...json, root: { ...json.root, nr_device: 1 } }, 'pci-v1/flat8-max64')).toThrow(/root: struct pci_ser of pci-v1\/flat8-max64 has no field "nr_device"/);
    expect(() => fromJson(json, 'pci-v3')).toThrow(/disagrees with the JSON's "abi"/);
    expect(() => fromJson({ root: {} })).toThrow(/no ABI id/);
    expect(fromJson({ ...json, devices: [{ index: 0, domain: 0, bdf: 8, reserved: 5 }] }).abi).toBe('pci-v1/flat8-max64');
  });

  it('takes domain and bdf from an lspci address and checks them when both are given', () => {
    const root = { max_nr_devices: 1, nr_devices: 1 };
    const a = encode({ root, devices: [{ address: '0001:3b:00.1', refcount: 1 }] }, 'pci-v2/flat8-max32');
    expect(decode(a, 'pci-v2/flat8-max32').devices.at(0)).toMatchObject({ domain: 1, bdf: 0x3b01 });
    expect(() => encode({ root, devices: [{ address: '0001:3b:00.1', domain: 0, bdf: 0x3b01, refcount: 1 }] }, 'pci-v2/flat8-max32')).toThrow(/disagrees/);
  });
});

describe('getAbi', () => {
  it('takes a compat string used by one id and refuses an ambiguous one with the candidates', () => {
    expect(getAbi('pci-v3').id).toBe('pci-v3/flat8-max32');
    expect(() => getAbi('pci-v2')).toThrow(/pci-v2\/flat8-max64.*pci-v2\/blk12|pci-v2\/blk12/);
    expect(() => getAbi('nope' as string)).toThrow(UsageError);
  });
});
