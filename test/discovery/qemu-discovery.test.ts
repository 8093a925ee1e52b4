import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';
import { DEVICES, khoStateChunks, PA, type LuoForm } from '../helpers/kho-state.js';
import { guestImages, imageFiles, missingGuestTools, type GuestArch, type GuestImages } from '../helpers/qemu-images.js';

const hex = (v: bigint) => `0x${v.toString(16)}`;
const ADDRESSES = ['0000:3b:00.0', '0000:3b:00.1', '10000:00:01.0'];

/** One LUO container form per guest, placed 4 MiB into guest RAM (above the low pages makedumpfile's vmcore needs). */
const guests: Array<{ arch: GuestArch; form: LuoForm; base: bigint; flb?: bigint; block?: bigint; kho: string }> = [
  { arch: 'x86_64', form: 'luo-fdt', base: 0x40_0000n, kho: 'kho-v1' },
  // the arm64 kdump images record 64 KiB pages: the FLB table and the KHO block are 64 KiB pages, as such a kernel allocates them
  { arch: 'aarch64', form: 'luo-ser-feat', base: 0x4040_0000n, flb: 0x4046_0000n, block: 0x4051_0000n, kho: 'kho-v4;radix-v1;vmalloc-v1' },
];

describe.each(guests)('$arch guest: inspect --memory IMG with no address on every dump format', ({ arch, form, base, flb, block, kho }) => {
  const missing = missingGuestTools(arch);
  if (missing) console.warn(`skipping the ${arch} QEMU discovery tests: ${missing}`);
  let g: GuestImages;
  beforeAll(async () => {
    if (missing) return;
    g = await guestImages(khoStateChunks(form, { base, ...(flb !== undefined ? { flb } : {}), ...(block !== undefined ? { block } : {}) }), arch);
    if (g.seconds) console.log(`${arch}: made ${imageFiles(g).length} images in ${g.seconds.toFixed(1)} s`);
    expect(g.seconds).toBeLessThan(60);
  }, 120_000);

  it.skipIf(missing)('finds the dtc-built KHO tree, follows LUO to the FLB table and decodes the PCI devices', async () => {
    expect(DEVICES).toHaveLength(ADDRESSES.length);
    const runs = await Promise.all(imageFiles(g).map(async ([name, file]) => [name, await runCli(['inspect', '--memory', file, '--json'])] as const));
    for (const [name, r] of runs) {
      expect(r.stderr, name).toBe('');
      expect(r.code, name).toBe(0);
      const j = JSON.parse(r.stdout);
      expect(j.source, name).toBe('scan');
      expect(j.pagesScanned, name).toBeGreaterThan(0);
      // the arm64 virt board keeps its boot DTB (1 MiB totalsize, mostly zero padding) at the start of RAM
      if (arch === 'aarch64') expect(j.others.map((o: { what: string }) => o.what), name).toEqual([expect.stringMatching(/^FDT "linux,dummy-virt"/)]);
      const [tree] = j.trees;
      expect(j.trees, name).toHaveLength(1);
      expect(tree.address, name).toBe(hex(PA.kho + base));
      expect(tree.compatible, name).toBe(kho);
      expect(tree.path.map((s: { kind: string }) => s.kind), name).toEqual(form === 'luo-fdt' ? ['kho-fdt', 'luo-fdt', 'flb-table'] : ['kho-fdt', 'luo-ser', 'flb-table']);
      expect(tree.flbTable.address, name).toBe(hex(flb ?? PA.flb + base));
      expect(tree.findings, name).toEqual([]);
      expect(tree.pci[0].devices.map((d: { address: string }) => d.address), name).toEqual(ADDRESSES);
      expect(tree.pci[0].rootAddress, name).toBe(hex(PA.pci + base));
    }
  }, 180_000);
});
