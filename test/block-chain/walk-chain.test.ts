import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeImage } from '../../src/codec/encode-image.js';
import { walkBlockChain } from '../../src/block-chain/walk-chain.js';
import { decode } from '../../src/codec/decode.js';
import { toJson } from '../../src/codec/json.js';
import { BlobError } from '../../src/errors.js';
import type { MemoryImage } from '../../src/memory/memory-image.js';
import { openMemoryImage } from '../../src/memory/open-memory-image.js';
import { readPciBlob } from '../../src/codec/read-pci-blob.js';
import { getAbi } from '../../src/registry.js';
import { generateImages } from '../helpers/gen-images.js';

let dir: string;
const opened: MemoryImage[] = [];
beforeAll(async () => {
  dir = await generateImages();
});
afterAll(() => opened.forEach((m) => m.close()));

function image(name: string): MemoryImage {
  const m = openMemoryImage([join(dir, name)]);
  opened.push(m);
  return m;
}

function rootAt(mem: MemoryImage, pa: bigint, id = 'pci/blk16-v1') {
  return decode(readPciBlob(mem, pa, getAbi(id))!, id);
}

/** Every hostile image of gen-images.c, with the one rule its chain must produce. */
const hostile = [
  ['bad-cycle.core', 'BLOCK_CYCLE', 'error', 1],
  ['bad-too-long.core', 'BLOCK_CHAIN_TOO_LONG', 'error', 10000],
  ['bad-count0.core', 'BLOCK_COUNT_INVALID', 'error', 1],
  ['bad-count511.core', 'BLOCK_COUNT_INVALID', 'error', 0],
  ['bad-unaligned.core', 'BLOCK_MISALIGNED', 'error', 0],
  ['bad-unresolved.core', 'BLOCK_UNRESOLVED', 'error', 1],
  ['bad-not-dense.core', 'BLOCK_NOT_DENSE', 'warning', 0],
] as const;

describe('walkBlockChain', () => {
  it.each(hostile)('%s gives %s (%s) on block %i, and nothing else', (name, rule, severity, block) => {
    const mem = image(name);
    const start = performance.now();
    const chain = walkBlockChain(mem, (rootAt(mem, 0x100000n).root as { devices: bigint }).devices, { pageSize: 4096, entrySize: 8 });
    expect(performance.now() - start).toBeLessThan(2000);
    expect(chain.findings.map((f) => [f.rule, f.severity])).toEqual([[rule, severity]]);
    expect(chain.findings[0]!.message).toMatch(new RegExp(`\\bblock ${block}\\b`));
    expect(chain.findings[0]!.offset).toBe(Number(chain.findings[0]!.address));
    if (severity === 'error') expect(chain.entries.length).toBe(0);
  });

  it.each([
    ['qemu-style.core', 0x100000n, 4096, 2, 512],
    ['big.core', 0x1000n, 4096, 3, 1021],
    ['page16k.core', 0x100000n, 16384, 2, 2051],
    ['bad-devices-null.core', 0x100000n, 4096, 0, 0],
  ] as const)('%s: a valid chain has no findings', (name, root, pageSize, blocks, stored) => {
    const mem = image(name);
    const chain = walkBlockChain(mem, (rootAt(mem, root).root as { devices: bigint }).devices, { pageSize, entrySize: 8 });
    expect(chain.findings).toEqual([]);
    expect([chain.blocks.length, chain.stored]).toEqual([blocks, stored]);
  });

  it('reads a 16 KiB-page chain as 4 KiB blocks and finds the counts invalid', () => {
    const mem = image('page16k.core');
    const chain = walkBlockChain(mem, 0x104000n, { pageSize: 4096, entrySize: 8 });
    expect(chain.findings[0]).toMatchObject({ rule: 'BLOCK_COUNT_INVALID', message: /count = 2046, a block holds 1\.\.510/ });
  });
});

describe('decode with a memory image', () => {
  it('indexes entries across blocks, above 4 GiB', () => {
    const mem = image('big.core');
    const d = decode(readPciBlob(mem, 0x1000n, getAbi('pci/blk16-v2'))!, 'pci/blk16-v2', { memory: mem });
    expect(d.devices!.toArray().map((dev) => dev.toJSON())).toEqual([
      { index: 0, domain: 0, bdf: 0x1000, address: '0000:10:00.0', refcount: 1 },
      { index: 510, domain: 0, bdf: 0x1100, address: '0000:11:00.0', refcount: 2 },
      { index: 1020, domain: 0, bdf: 0x1200, address: '0000:12:00.0', refcount: 3 },
    ]);
    expect(d.chain!.blocks.map((b) => b.address)).toEqual([0x1_0000_0000n, 0x1_8000_0000n, 0x1_ffff_f000n]);
  });

  it('throws the chain error as a BlobError at pci_ser.devices', () => {
    const mem = image('bad-cycle.core');
    const err = (() => {
      try {
        decode(readPciBlob(mem, 0x100000n, getAbi('pci/blk16-v1'))!, 'pci/blk16-v1', { memory: mem });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(BlobError);
    expect(err).toMatchObject({ rule: 'BLOCK_CYCLE', offset: 8 });
  });

  it('round-trips through encodeImage: same root, devices, indices, blocks and stale bytes', () => {
    const mem = image('qemu-style.core');
    const bytes = readPciBlob(mem, 0x100000n, getAbi('pci/blk16-v1'))!;
    const json = JSON.parse(JSON.stringify(toJson(decode(bytes, 'pci/blk16-v1', { memory: mem, rootAddress: 0x100000n }))));
    expect(json.chain.blocks).toEqual([
      { address: '0x101000', count: '510', extra: [] },
      { address: '0x100000000', count: '2', extra: [] },
    ]);
    const core = encodeImage(json, 'pci/blk16-v1');
    const back = memoryOf(core);
    const again = toJson(decode(readPciBlob(back, 0x100000n, getAbi('pci/blk16-v1'))!, 'pci/blk16-v1', { memory: back, rootAddress: 0x100000n }));
    expect(again).toEqual(json);
  });

  it('keeps stale bytes of free slots and past count; relocates blocks on request', () => {
    const input = {
      root: { nr_devices: 1, devices: '0x0' },
      devices: [{ index: 2, address: '0000:3b:00.0', refcount: 1 }],
      chain: { blocks: [{ count: 3, extra: [{ offset: 16, hex: 'ff' }, { offset: 100, hex: 'abcd' }] }] },
    };
    const back = memoryOf(encodeImage(input, 'pci-v1/blk12', { rootAddress: 0x5000n, blocksAddress: 0x20000n }));
    const json = toJson(decode(back.read(0x5000n, 12)!, 'pci-v1/blk12', { memory: back }));
    expect(json.root).toEqual({ nr_devices: 1, devices: '0x20000' });
    expect(json.devices).toEqual([{ index: 2, domain: 0, bdf: 0x3b00, address: '0000:3b:00.0', refcount: 1 }]);
    expect(json.chain!.blocks).toEqual([{ address: '0x20000', count: '3', extra: [{ offset: 16, hex: 'ff' }, { offset: 100, hex: 'abcd' }] }]);
  });

  it('fills blocks densely when the input has no chain, with 16 KiB pages too', () => {
    const devices = Array.from({ length: 2047 }, (_, i) => ({ index: i, domain: i >> 8, bdf: i & 0xff, refcount: 1 }));
    const back = memoryOf(encodeImage({ root: { version: 2, nr_devices: 2047, devices: 0 }, devices }, 'pci/blk16-v2', { pageSize: 16384 }));
    const d = decode(back.read(0x100000n, 16)!, 'pci/blk16-v2', { memory: back, pageSize: 16384 });
    expect(d.chain!.blocks.map((b) => b.count)).toEqual([2046n, 1n]);
    expect(d.devices!.length).toBe(2047);
    expect(d.devices!.at(-1)).toMatchObject({ index: 2046, domain: 7, bdf: 0xfe });
  });

  it('refuses what a block cannot hold', () => {
    expect(() => encodeImage({ root: { version: 1, nr_devices: 0, devices: 0 }, chain: { blocks: [{ count: 511 }] } }, 'pci/blk16-v1')).toThrow(/chain\.blocks\[0\]\.count: count 511: a block holds 1\.\.510/);
    expect(() => encodeImage({ root: { max_nr_devices: 0, nr_devices: 0 } }, 'pci-v2/flat8-max32')).toThrow(/keeps its devices inline/);
    const stale = { root: { version: 1, nr_devices: 1, devices: 0 }, devices: [{ index: 0, address: '00:01.0', refcount: 1 }], chain: { blocks: [{ count: 1, extra: [{ offset: 16, hex: '01' }] }] } };
    expect(() => encodeImage(stale, 'pci/blk16-v1')).toThrow(/overlap the in-use entry in slot 0/);
  });
});

/** An in-memory ELF core, read through the same MemoryImage as files. */
function memoryOf(core: Uint8Array): MemoryImage {
  const path = join(mkdtempSync(join(tmpdir(), 'kho-abi-rt-')), 'rt.core');
  writeFileSync(path, core);
  const m = openMemoryImage([path]);
  opened.push(m);
  return m;
}
