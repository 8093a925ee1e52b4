import { mkdtempSync, openSync, closeSync, writeFileSync, writeSync, ftruncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeImage } from '../../src/codec/encode-image.js';
import { UsageError } from '../../src/errors.js';
import { openMemoryImage, parseMemorySpec } from '../../src/memory/open-memory-image.js';
import { generateImages, readelfSegments } from '../helpers/gen-images.js';

let dir: string;
const tmp = mkdtempSync(join(tmpdir(), 'kho-abi-mem-'));
beforeAll(async () => {
  dir = await generateImages();
});

describe('ELF64 cores', () => {
  it.each(['qemu-style.core', 'big.core', 'page16k.core', 'bad-too-long.core'])('maps every PT_LOAD of %s as readelf -l sees it', async (name) => {
    const path = join(dir, name);
    const loads = (await readelfSegments(path)).filter((s) => s.type === 'LOAD');
    const mem = openMemoryImage([path]);
    try {
      expect(mem.map.map((r) => ({ start: r.start, end: r.end, fileOffset: BigInt(r.fileOffset) }))).toEqual(
        loads.map((l) => ({ start: l.paddr, end: l.paddr + l.filesz, fileOffset: l.offset })),
      );
    } finally {
      mem.close();
    }
  });

  it('reads physical bytes, across segments and above 4 GiB, and says when they are not there', () => {
    const mem = openMemoryImage([join(dir, 'qemu-style.core')]);
    expect(Buffer.from(mem.read(0x2010n, 8)!).toString('latin1')).toBe('memfd-v1');
    expect(new DataView(mem.read(0x1_0000_0000n, 16)!.buffer).getBigUint64(8, true)).toBe(2n);
    expect(mem.read(0x9ffffn, 2)).toBeNull(); // runs off the end of low RAM into the hole
    expect(mem.resolves(0x100000n, 0x100000)).toBe(true);
    expect(mem.resolves(0x100000n, 0x100001)).toBe(false);
    mem.close();
  });

  it.each([
    ['be.core', /big-endian ELF file/],
    ['elf32.core', /32-bit ELF file/],
    ['raw.bin', /not an ELF core, a kdump file or a flattened kdump stream .*FILE@0xBASE/],
  ])('refuses %s with a UsageError', (name, message) => {
    expect(() => openMemoryImage([join(dir, name)])).toThrow(UsageError);
    expect(() => openMemoryImage([join(dir, name)])).toThrow(message);
  });

  it('refuses a segment that ends past the end of the file', () => {
    const path = join(tmp, 'cut.core');
    const bytes = encodeImage({ root: { version: 1, nr_devices: 0, devices: 0 } }, 'pci/blk16-v1');
    writeFileSync(path, bytes.subarray(0, bytes.length - 1));
    expect(() => openMemoryImage([path])).toThrow(/past the end of the .*-byte file/);
  });
});

describe('raw dumps and several images', () => {
  it('parses FILE@BASE, keeping @ in file names', () => {
    expect(parseMemorySpec('ram.bin@0x100000')).toEqual({ path: 'ram.bin', base: 0x100000n });
    expect(parseMemorySpec('a@b.core')).toEqual({ path: 'a@b.core' });
    expect(parseMemorySpec('a@b.bin@0x1000')).toEqual({ path: 'a@b.bin', base: 0x1000n });
    expect(parseMemorySpec('ram.bin@0')).toEqual({ path: 'ram.bin', base: 0n });
    expect(() => parseMemorySpec('a@b.bin@4096')).toThrow(/the base after @ takes a hex address with 0x: "4096" is ambiguous/);
    expect(() => parseMemorySpec('ram.bin@zz')).toThrow(/the base after @ takes a physical address like 0x100000, got "zz"/);
  });

  it('maps a raw dump at its base and combines it with a core', () => {
    const mem = openMemoryImage([`${join(dir, 'raw.bin')}@0x100000`, join(dir, 'page16k.core').replace('page16k', 'flb-bad')]);
    expect(mem.map.map((r) => [r.start, r.end])).toEqual([[0n, 0x10000n], [0x100000n, 0x110000n]]);
    expect(new DataView(mem.read(0x100008n, 8)!.buffer).getBigUint64(0, true)).toBe(0x101000n);
    mem.close();
  });

  it('refuses physical memory that two images both claim', () => {
    expect(() => openMemoryImage([`${join(dir, 'raw.bin')}@0x100000`, join(dir, 'qemu-style.core')])).toThrow(
      /physical memory 0x100000\.\.0x110000 is in both .*raw\.bin .* and .*qemu-style\.core/,
    );
  });

  it('refuses a missing file and a raw base on an ELF file', () => {
    expect(() => openMemoryImage([join(dir, 'nope.core')])).toThrow(/no such file/);
    expect(() => openMemoryImage([`${join(dir, 'qemu-style.core')}@0x0`])).toThrow(/is an ELF file/);
  });

  it('reads an 8 GiB sparse raw dump at offsets, above 4 GiB', () => {
    const path = join(tmp, 'sparse.bin');
    const fd = openSync(path, 'w');
    ftruncateSync(fd, 8 * 2 ** 30);
    writeSync(fd, Buffer.from('above-4g'), 0, 8, 6 * 2 ** 30 + 5);
    closeSync(fd);
    const mem = openMemoryImage([`${path}@0x0`]);
    expect(Buffer.from(mem.read(BigInt(6 * 2 ** 30 + 5), 8)!).toString()).toBe('above-4g');
    mem.close();
  });
});

describe('encoder output', () => {
  it('is an ELF core readelf reads: one PT_LOAD per contiguous run', async () => {
    const path = join(tmp, 'enc.core');
    const devices = [{ index: 0, address: '0000:3b:00.0', refcount: 1 }, { index: 600, address: '0000:3c:00.0', refcount: 1 }];
    const opts = { rootAddress: 0x100000n, blocksAddress: 0x2_0000_0000n, blockStride: 0x10000n };
    writeFileSync(path, encodeImage({ root: { version: 1, nr_devices: 2, devices: 0 }, devices }, 'pci/blk16-v1', opts));
    const loads = await readelfSegments(path);
    expect(loads.map((l) => [l.type, l.paddr, l.filesz])).toEqual([
      ['LOAD', 0x100000n, 0x1000n],
      ['LOAD', 0x2_0000_0000n, 0x1000n],
      ['LOAD', 0x2_0001_0000n, 0x1000n],
    ]);
  });
});
