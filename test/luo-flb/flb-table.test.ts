import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectFlbTable } from '../../src/luo-flb/inspect-flb.js';
import { flbCapacity, readFlbTable } from '../../src/luo-flb/flb-table.js';
import type { MemoryImage } from '../../src/memory/memory-image.js';
import { abis } from '../../src/registry.js';
import { openMemoryImage } from '../../src/memory/open-memory-image.js';
import { generateImages } from '../helpers/gen-images.js';

let dir: string;
const opened: MemoryImage[] = [];
beforeAll(async () => {
  dir = await generateImages();
});
afterAll(() => opened.forEach((m) => m.close()));
const image = (name: string) => {
  const m = openMemoryImage([join(dir, name)]);
  opened.push(m);
  return m;
};

describe('LUO FLB table', () => {
  it('holds (PAGE_SIZE - 16) / 64 entries', () => {
    expect([4096, 16384, 65536].map(flbCapacity)).toEqual([63, 255, 1023]);
  });

  it('lists every entry of a valid table with no findings', () => {
    const t = readFlbTable(image('qemu-style.core'), 0x2000n);
    expect(t.findings).toEqual([]);
    expect(t.entries.map((e) => [e.name, e.data, e.count])).toEqual([
      ['memfd-v1', 0x3000n, 2n],
      ['pci', 0x100000n, 4n],
      ['iommu-v1', 0x4000n, 1n],
    ]);
  });

  it('gives FLB_TABLE_INVALID for pgcnt != 1, count above capacity and a name without NUL', () => {
    const t = readFlbTable(image('flb-bad.core'), 0x2000n);
    expect(t.findings.map((f) => [f.rule, f.offset, f.index])).toEqual([
      ['FLB_TABLE_INVALID', 0, undefined],
      ['FLB_TABLE_INVALID', 8, undefined],
      ['FLB_TABLE_INVALID', 16 + 64, 1],
    ]);
    expect(t.entries).toHaveLength(63);
    expect(t.entries[1]).toMatchObject({ terminated: false, name: '0123456789abcdef0123456789abcdef0123456789abcdef' });
  });

  it('refuses a table address outside the images', () => {
    expect(() => readFlbTable(image('qemu-style.core'), 0x7000_0000n)).toThrow(/FLB table page at 0x70000000 .* is not in the memory images/);
  });
});

describe('inspectFlbTable', () => {
  it('decodes the PCI entry under every id of its compat string and says which fit', () => {
    const r = inspectFlbTable(image('qemu-style.core'), 0x2000n);
    expect(r.pci.map((p) => p.entry.name)).toEqual(['pci']);
    const readings = r.pci[0]!.readings;
    expect(readings.map((x) => x.abi)).toEqual(abis.filter((a) => a.compatible === 'pci').map((a) => a.id));
    const fits = readings.filter((x) => x.consistent);
    expect(fits.map((x) => x.abi)).toEqual(['pci/blk16-v1']);
    for (const x of readings.filter((y) => !y.consistent)) expect(x.reasons.join(' ')).toMatch(/VERSION_MISMATCH/);
    expect(fits[0]!.decoded!.devices!.length).toBe(5);
  });

  it('says why an entry with data 0 fits no id', () => {
    const r = inspectFlbTable(image('flb-bad.core'), 0x2000n);
    expect(r.pci[0]!.readings.every((x) => !x.consistent && /data is 0/.test(x.reasons[0]!))).toBe(true);
  });
});
