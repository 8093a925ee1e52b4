import { closeSync, openSync, readSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { openMemoryImage, parseMemorySpec } from '../../src/memory/open-memory-image.js';
import { runCli } from '../cli/run-cli.js';
import { livePages, type LiveUpdateState } from '../helpers/live-update-pages.js';
import { guestImages, imageFiles, missingGuestTools, type GuestArch, type GuestImages } from '../helpers/qemu-images.js';

const hex = (v: bigint) => `0x${v.toString(16)}`;

const guests: Array<{ arch: GuestArch; ramStart: bigint; nr: number; pageSize: number; machine: RegExp }> = [
  { arch: 'x86_64', ramStart: 0n, nr: 1100, pageSize: 4096, machine: /EM_386|x86_64/ },
  { arch: 'aarch64', ramStart: 0x4000_0000n, nr: 6000, pageSize: 65536, machine: /EM_AARCH64|aarch64|Unknown/ },
];

describe.each(guests)('$arch guest with no OS, dumped by QEMU and makedumpfile', ({ arch, ramStart, nr, pageSize, machine }) => {
  const missing = missingGuestTools(arch);
  if (missing) console.warn(`skipping the ${arch} QEMU image tests: ${missing}`);
  let g: GuestImages;
  let state: LiveUpdateState;
  beforeAll(async () => {
    state = livePages(ramStart, nr, pageSize);
    g = await guestImages(state.pages, arch);
    if (g.seconds) console.log(`${arch}: made ${imageFiles(g).length} images in ${g.seconds.toFixed(1)} s`);
    expect(g.seconds).toBeLessThan(60);
  }, 300_000);

  it.skipIf(missing)('every image holds the bytes pmemsave saw, page by page (data pages and a sample of zero pages)', () => {
    const raw = parseMemorySpec(g.raw);
    const fd = openSync(raw.path, 'r');
    const page = Buffer.alloc(4096);
    const checks: Array<[bigint, Buffer]> = [];
    for (let at = 0; at < 128 << 20; at += 4096) {
      readSync(fd, page, 0, 4096, at);
      const zero = page.every((b) => b === 0);
      // the makedumpfile images come from a vmcore whose first MiB holds the kernel data makedumpfile reads
      if ((!zero || at % (1 << 20) === 0x80000) && (arch !== 'x86_64' || at >= 0x100000)) checks.push([ramStart + BigInt(at), Buffer.from(page)]);
    }
    closeSync(fd);
    expect(checks.length).toBeGreaterThan(nr / 510);
    for (const [name, file] of imageFiles(g)) {
      const mem = openMemoryImage([file]);
      try {
        for (const [pa, bytes] of checks) {
          const got = mem.read(pa, 4096);
          const zero = bytes.every((b) => b === 0);
          // write-kdump.c leaves zero pages out of the dump (makedumpfile -d 1 may too): they do not resolve
          if (got === null && zero && /lzo|snappy|zstd/.test(name)) continue;
          expect(got && Buffer.from(got).equals(bytes), `${name} @ ${hex(pa)}`).toBe(true);
        }
      } finally {
        mem.close();
      }
    }
  }, 300_000);

  it.skipIf(missing)('says what each image is: format, machine and, for kdump, the block size', () => {
    for (const [name, file] of imageFiles(g)) {
      const mem = openMemoryImage([file]);
      const [d] = mem.images;
      mem.close();
      expect(d!.format, name).toBe(name.includes('raw') ? 'raw' : name.includes('ELF') ? 'elf' : /flattened/.test(name) ? 'kdump-flattened' : 'kdump');
      if (d!.format !== 'raw') expect(d!.machine, name).toMatch(machine);
      if (d!.format.startsWith('kdump')) expect(d!.blockSize, name).toBe(pageSize);
    }
  });

  it.skipIf(missing)('inspect names the format and machine of the image on its first line', async () => {
    const elf = await runCli(['inspect', '--memory', g.elf, '--flb-table-pa', hex(state.flbTable)]);
    expect(elf.stdout.split('\n')[0]).toBe(`memory: ${g.elf}: ELF64 core, ${arch === 'x86_64' ? 'EM_386 (i386)' : 'EM_AARCH64 (aarch64)'}, ${arch === 'x86_64' ? 5 : 1} PT_LOAD`);
    const flat = await runCli(['inspect', '--memory', g.qemuFlattened, '--flb-table-pa', hex(state.flbTable)]);
    expect(flat.stdout.split('\n')[0]).toMatch(new RegExp(`^memory: .*qemu\\.flat: kdump-compressed, flattened stream, machine "(x86_64|Unknown)", block size ${pageSize}, header version 6, \\d+ pages dumped$`));
  });

  it.skipIf(missing)('decode --root-pa and inspect --flb-table-pa find every device on every image', async () => {
    for (const [name, file] of imageFiles(g)) {
      // kdump records the guest's page size; the other formats need --page-size for 64 KiB pages
      const ps = pageSize !== 4096 && !/kdump|makedumpfile|snappy|zstd/.test(name) ? ['--page-size', String(pageSize)] : [];
      const d = await runCli(['decode', '--abi', state.abi, '--memory', file, '--root-pa', hex(state.root), '--json', ...ps]);
      expect(d.stderr, name).toBe('');
      expect(d.code, name).toBe(0);
      const decoded = JSON.parse(d.stdout);
      expect(decoded.devices.map((x: { address: string }) => x.address), name).toEqual(state.addresses);
      expect(decoded.chain.pageSize, name).toBe(pageSize);

      const r = await runCli(['inspect', '--memory', file, '--flb-table-pa', hex(state.flbTable), '--json', ...ps]);
      expect(r.code, `${name}: ${r.stderr}`).toBe(0);
      const inspected = JSON.parse(r.stdout);
      expect(inspected.table.entries.map((e: { name: string }) => e.name), name).toEqual(['memfd-v1', 'pci']);
      const reading = inspected.pci[0].readings.find((x: { abi: string }) => x.abi === state.abi);
      expect(reading.decoded.devices.length, name).toBe(nr);
    }
  }, 300_000);
});
