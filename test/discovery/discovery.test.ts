import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { discoverKhoTrees, discoveryHasErrors, inspectKhoFdtAt, inspectKhoFdtBytes } from '../../src/discovery/discover.js';
import type { MemoryImage } from '../../src/memory/memory-image.js';
import { openMemoryImage } from '../../src/memory/open-memory-image.js';
import { elfCoreBytes, type PhysicalChunk } from '../../src/memory/write-elf-core.js';
import { compileDts, DEVICES, khoStateChunks, PA, writeRawDump, type LuoForm } from '../helpers/kho-state.js';

const dir = mkdtempSync(join(tmpdir(), 'kho-abi-discovery-'));
const opened: MemoryImage[] = [];
afterAll(() => opened.forEach((m) => m.close()));

function elf(name: string, chunks: PhysicalChunk[]): MemoryImage {
  const path = join(dir, name);
  writeFileSync(path, elfCoreBytes(chunks));
  const m = openMemoryImage([path]);
  opened.push(m);
  return m;
}

function raw(name: string, chunks: PhysicalChunk[], size = 2 << 20): MemoryImage {
  const path = join(dir, name);
  writeRawDump(path, chunks, size);
  const m = openMemoryImage([`${path}@0x0`]);
  opened.push(m);
  return m;
}

const addresses = (t: { flb: { pci: readonly { readings: readonly { decoded: { devices: { toArray(): Array<{ domain: number; bdf: number }> } | null } | null }[] }[] } | null }) =>
  t.flb!.pci[0]!.readings[0]!.decoded!.devices!.toArray().map((d) => [d.domain, d.bdf]);

const FORMS: Array<[LuoForm, string, string[], string | undefined]> = [
  ['luo-fdt', 'kho-v1', ['kho-fdt', 'luo-fdt', 'flb-table'], 'luo-v1'],
  ['luo-fdt-abihdr', 'kho-v2', ['kho-fdt', 'luo-fdt', 'luo-ser', 'flb-table'], undefined],
  ['luo-ser-v5', 'kho-v3', ['kho-fdt', 'luo-ser', 'flb-table'], 'luo-v5'],
  ['luo-ser-kb', 'kho-v3', ['kho-fdt', 'luo-ser', 'flb-table'], 'luo-v3-kho-block-v1'],
  ['luo-ser-feat', 'kho-v4;radix-v1;vmalloc-v1', ['kho-fdt', 'luo-ser', 'flb-table'], undefined],
];

describe('discovery: every LUO container version, dtc-built trees', () => {
  it.each(FORMS)('%s in an ELF core and a raw dump: scan finds %s and follows it to the PCI devices', (form, kho, kinds, luoCompat) => {
    for (const memory of [elf(`${form}.core`, khoStateChunks(form)), raw(`${form}.raw`, khoStateChunks(form))]) {
      const d = discoverKhoTrees(memory);
      expect(d.trees).toHaveLength(1);
      const t = d.trees[0]!;
      expect(t.findings).toEqual([]);
      expect(t.address).toBe(PA.kho);
      expect(t.compatible).toBe(kho);
      expect(t.path.map((s) => s.kind)).toEqual(kinds);
      expect(t.path.at(-1)!.address).toBe(PA.flb);
      expect(t.path.find((s) => s.layout === form)).toBeDefined();
      if (luoCompat) expect(t.path.some((s) => s.compatible === luoCompat)).toBe(true);
      expect(t.path.find((s) => s.liveupdateNum !== undefined)!.liveupdateNum).toBe(3n);
      expect(t.flb!.table.entries.map((e) => e.name)).toEqual(['memfd-v1', 'pci']);
      expect(t.flb!.pci[0]!.readings.map((r) => [r.abi, r.consistent])).toEqual([
        ['pci/blk16-v1', true],
        ['pci/blk16-v2', false],
      ]);
      expect(addresses(t)).toEqual(DEVICES.map(([a, b]) => [a, b]));
      expect(discoveryHasErrors(d)).toBe(false);
    }
  });

  it('says when the tree has no LUO entry, and a luo-v1 tree without luo-flb has no FLB table', () => {
    const noLuo = compileDts('kho-v3-luo-v5', { LUO: 'NOTLUO' });
    const t = discoverKhoTrees(elf('no-luo.core', [{ pa: PA.kho, bytes: noLuo }])).trees[0]!;
    expect(t.notes.join()).toMatch(/no "LUO" entry/);
    expect(t.findings).toEqual([]);
    const chunks = khoStateChunks('luo-fdt');
    chunks[1] = { pa: PA.luo, bytes: compileDts('luo-v1-flb', { 'luo-flb {': 'luo-other {' }) };
    const u = discoverKhoTrees(elf('no-flb.core', chunks)).trees[0]!;
    expect(u.notes.join()).toMatch(/no luo-flb node: this LUO version has no FLB table/);
    expect(u.flb).toBeNull();
  });
});

describe('discovery: broken links are findings', () => {
  it('KHO_FDT_INVALID: kho-v3 without blob-size, LUO outside the images, LUO pointing back at the tree', () => {
    const noSize = khoStateChunks('luo-ser-v5');
    noSize[0] = { pa: PA.kho, bytes: compileDts('kho-v3-luo-v5', { 'blob-size = [20 00 00 00 00 00 00 00];': '' }) };
    expect(discoverKhoTrees(elf('nosize.core', noSize)).trees[0]!.findings.map((f) => [f.rule, f.message])).toEqual([
      ['KHO_FDT_INVALID', expect.stringMatching(/no blob-size property: kho-v3 requires it/)],
    ]);
    const outside = khoStateChunks('luo-ser-v5', { luo: 0x7000_0000n }).filter((c) => c.pa !== 0x7000_0000n);
    const o = discoverKhoTrees(elf('outside.core', outside)).trees[0]!;
    expect(o.findings.map((f) => f.rule)).toEqual(['KHO_FDT_INVALID']);
    expect(o.findings[0]!.message).toMatch(/LUO\/preserved-data = 0x70000000 \(blob-size 32\) is not in the memory images/);
    const cycle = discoverKhoTrees(elf('cycle.core', [{ pa: PA.kho, bytes: compileDts('kho-v3-luo-cycle') }])).trees[0]!;
    expect(cycle.findings.map((f) => f.message)).toEqual([expect.stringMatching(/points back at the KHO tree itself: a cycle/)]);
  });

  it('LUO_INVALID: an unknown compat string, a blob-size that does not fit, flbs_pa outside the images', () => {
    const chunks = khoStateChunks('luo-ser-v5');
    const unknown = chunks.map((c) => (c.pa === PA.luo ? { pa: c.pa, bytes: Buffer.from('luo-v9\0\0' + '\0'.repeat(24), 'latin1') } : c));
    expect(discoverKhoTrees(elf('unknown.core', unknown)).trees[0]!.findings[0]).toMatchObject({ rule: 'LUO_INVALID', address: PA.luo, message: expect.stringMatching(/"luo-v9" is no LUO version kho-abi knows/) });
    const kb = khoStateChunks('luo-ser-kb').map((c) => (c.pa === PA.kho ? { pa: c.pa, bytes: compileDts('kho-v3-luo-kb', { '[30 00': '[20 00' }) } : c));
    expect(discoverKhoTrees(elf('size.core', kb)).trees[0]!.findings[0]!.message).toMatch(/blob-size 32, but struct luo_ser of "luo-v3-kho-block-v1" is 48 bytes/);
    const far = khoStateChunks('luo-ser-feat', { flb: 0x9000_0000n }).filter((c) => c.pa !== 0x9000_0000n);
    expect(discoverKhoTrees(elf('far.core', far)).trees[0]!.findings[0]).toMatchObject({ rule: 'LUO_INVALID', address: PA.luo + 144n });
  });

  it('KHO_FDT_INVALID: a LUO blob with the FDT magic but too short for an FDT header (found by the fuzzer)', () => {
    const chunks = khoStateChunks('luo-ser-v5').map((c) => (c.pa === PA.luo ? { pa: c.pa, bytes: Uint8Array.from(c.bytes, (b, i) => [0xd0, 0x0d, 0xfe, 0xed][i] ?? b) } : c));
    expect(discoverKhoTrees(elf('short-fdt.core', chunks)).trees[0]!.findings).toEqual([
      { rule: 'KHO_FDT_INVALID', severity: 'error', address: PA.luo, message: 'LUO FDT at 0x50000: its 40-byte header runs past the memory images' },
    ]);
  });

  it('LUO_INVALID: a blob that is no known container (feature bits unknown)', () => {
    const chunks = khoStateChunks('luo-ser-feat').map((c) => (c.pa === PA.luo ? { pa: c.pa, bytes: Uint8Array.from(c.bytes, (b, i) => (i === 0 ? 0xff : b)) } : c));
    expect(discoverKhoTrees(elf('feat.core', chunks)).trees[0]!.findings[0]!.message).toMatch(/features\.supp = 0xff has bits other than NUMBER, SESSIONS, FLBS/);
  });
});

describe('discovery: several trees are ranked', () => {
  it('outgoing (liveupdate n + 1) before incoming (n), byte duplicates merged, newest layout first, boot DTBs ignored', () => {
    const incoming = khoStateChunks('luo-ser-v5', { liveupdateNum: 3n });
    const outgoing = khoStateChunks('luo-ser-v5', { liveupdateNum: 4n, kho: 0x90000n, luo: 0x91000n, flb: 0x92000n });
    const stale = { pa: 0xc0000n, bytes: incoming[0]!.bytes };
    const older = khoStateChunks('luo-fdt', { liveupdateNum: 1n, kho: 0xd0000n, luo: 0xd1000n, flb: 0xd2000n });
    const chunks = [
      ...incoming,
      ...outgoing.filter((c) => c.pa < PA.pci),
      stale,
      ...older.filter((c) => c.pa < PA.pci),
    ];
    const d = discoverKhoTrees(elf('ranked.core', chunks));
    expect(d.trees.map((t) => [t.address, t.compatible, t.role])).toEqual([
      [0x90000n, 'kho-v3', 'outgoing'],
      [PA.kho, 'kho-v3', 'incoming'],
      [0xd0000n, 'kho-v1', undefined],
    ]);
    expect(d.trees[1]!.duplicates).toEqual([0xc0000n]);
  });

  it('a complete table before an empty one; /chosen linux,kho-fdt of a boot DTB labels the incoming tree', () => {
    const full = khoStateChunks('luo-ser-feat', { liveupdateNum: 7n });
    const empty = khoStateChunks('luo-ser-feat', { liveupdateNum: 9n, kho: 0x90000n, luo: 0x91000n, flb: 0x92000n, flbEntries: [] });
    const dtb = { pa: 0x40000n, bytes: compileDts('boot-chosen') };
    const d = discoverKhoTrees(elf('chosen.core', [...full, ...empty.filter((c) => c.pa < PA.pci), dtb]));
    expect(d.trees.map((t) => [t.address, t.role])).toEqual([
      [PA.kho, 'incoming'],
      [0x90000n, undefined],
    ]);
    expect(d.trees[0]!.roleReason).toMatch(/linux,kho-fdt of the boot DTB at 0x40000/);
    expect(d.others).toEqual([{ address: 0x40000n, what: 'FDT "linux,dummy-virt"' }]);
  });
});

describe('FDTs that are not KHO trees', () => {
  it('a boot DTB cut short by the image (a kdump leaves its zero padding out) is named by its compatible, not taken for a broken KHO tree', () => {
    const dtb = compileDts('boot-chosen').slice();
    new DataView(dtb.buffer).setUint32(4, 1 << 20);
    const d = discoverKhoTrees(raw('cut-dtb.raw', [...khoStateChunks('luo-ser-v5'), { pa: 0x1ff000n, bytes: dtb }]));
    expect(d.trees.map((t) => t.address)).toEqual([PA.kho]);
    expect(d.others).toEqual([{ address: 0x1ff000n, what: expect.stringMatching(/^FDT "linux,dummy-virt", totalsize 1048576 runs past the memory that holds the tree \(4096 bytes from its start\)$/) }]);
  });

  it('an FDT whose root compatible cannot be read is listed with the reason', () => {
    const bad = compileDts('kho-v3-luo-v5').slice();
    new DataView(bad.buffer).setUint32(20, 99);
    const d = discoverKhoTrees(raw('bad-version.raw', [...khoStateChunks('luo-ser-v5'), { pa: 0x1ff000n, bytes: bad }]));
    expect(d.others).toEqual([{ address: 0x1ff000n, what: 'FDT magic with version 99, last_comp_version 16: not a tree' }]);
    const bad2 = compileDts('kho-v3-luo-v5').slice();
    new DataView(bad2.buffer).setUint32(8, 3);
    const e = discoverKhoTrees(raw('bad-struct.raw', [...khoStateChunks('luo-ser-v5'), { pa: 0x1ff000n, bytes: bad2 }]));
    expect(e.others).toEqual([{ address: 0x1ff000n, what: expect.stringMatching(/^FDT whose root compatible cannot be read \(the structure block at offset 3 overlaps the 40-byte header\)$/) }]);
  });
});

describe('--kho-fdt', () => {
  it('a dtb file (as copied from debugfs) is followed into the images; an address skips the scan', () => {
    const chunks = khoStateChunks('luo-fdt');
    const memory = elf('given.core', chunks.slice(1));
    const f = inspectKhoFdtBytes(memory, chunks[0]!.bytes, 'kho-out.dtb');
    expect(f.trees[0]!.path[0]).toMatchObject({ kind: 'kho-fdt', file: 'kho-out.dtb', compatible: 'kho-v1' });
    expect(addresses(f.trees[0]!)).toHaveLength(3);
    const a = inspectKhoFdtAt(elf('given-all.core', chunks), PA.kho);
    expect(a.pagesScanned).toBe(0);
    expect(a.trees[0]!.flb!.table.address).toBe(PA.flb);
  });
});
