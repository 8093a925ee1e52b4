import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getAbi } from '../../../src/registry.js';
import type { MemoryImage } from '../../../src/memory/memory-image.js';
import { openMemoryImage } from '../../../src/memory/open-memory-image.js';
import { readPciBlob } from '../../../src/codec/read-pci-blob.js';
import { validate } from '../../../src/validate/index.js';
import { generateImages } from '../../helpers/gen-images.js';

let dir: string;
const opened: MemoryImage[] = [];
beforeAll(async () => {
  dir = await generateImages();
});
afterAll(() => opened.forEach((m) => m.close()));

function check(image: string, root: bigint, abi: string, pageSize = 4096) {
  const memory = openMemoryImage([join(dir, image)]);
  opened.push(memory);
  return validate(readPciBlob(memory, root, getAbi(abi))!, abi, { memory, pageSize });
}

describe('block rules on the images of gen-images.c', () => {
  it.each([
    ['qemu-style.core', 0x100000n, 'pci/blk16-v1', 4096],
    ['big.core', 0x1000n, 'pci/blk16-v2', 4096],
    ['page16k.core', 0x100000n, 'pci/blk16-v1', 16384],
  ] as const)('valid: %s gives no finding', (image, root, abi, pageSize) => {
    expect(check(image, root, abi, pageSize)).toEqual({ valid: true, findings: [] });
  });

  it.each([
    ['bad-cycle.core', 'BLOCK_CYCLE', 0x101000],
    ['bad-too-long.core', 'BLOCK_CHAIN_TOO_LONG', 0x101000 + 10000 * 4096],
    ['bad-count0.core', 'BLOCK_COUNT_INVALID', 0x102000],
    ['bad-count511.core', 'BLOCK_COUNT_INVALID', 0x101000],
    ['bad-unaligned.core', 'BLOCK_MISALIGNED', 0x101008],
    ['bad-unresolved.core', 'BLOCK_UNRESOLVED', 0x7000000],
  ])('invalid: %s gives exactly %s', (image, rule, offset) => {
    const r = check(image, 0x100000n, 'pci/blk16-v1');
    expect(r.valid).toBe(false);
    expect(r.findings.map((f) => [f.rule, f.offset])).toEqual([[rule, offset]]);
  });

  it('DEVICES_NULL (and NR_MISMATCH: no entry is anywhere) when devices is 0 with nr_devices 2', () => {
    expect(check('bad-devices-null.core', 0x100000n, 'pci/blk16-v1').findings.map((f) => [f.rule, f.offset])).toEqual([
      ['NR_MISMATCH', 4],
      ['DEVICES_NULL', 8],
    ]);
  });

  it('BLOCK_NOT_DENSE is a warning: valid unless --strict', () => {
    const r = check('bad-not-dense.core', 0x100000n, 'pci/blk16-v1');
    expect(r).toMatchObject({ valid: true, findings: [{ rule: 'BLOCK_NOT_DENSE', severity: 'warning', offset: 0x101000 }] });
  });

  it('VERSION_MISMATCH when a version 1 root is read as pci/blk16-v2', () => {
    expect(check('qemu-style.core', 0x100000n, 'pci/blk16-v2').findings.map((f) => f.rule)).toEqual(['VERSION_MISMATCH']);
  });

  it('entry rules read the chain: REFCOUNT_NOT_ONE at the physical address of the entry', () => {
    const r = check('big.core', 0x1000n, 'pci/blk16-v1');
    expect(r.findings.map((f) => [f.rule, f.index, f.offset])).toEqual([
      ['VERSION_MISMATCH', undefined, 0],
      ['REFCOUNT_NOT_ONE', 510, 0x1_8000_0010 + 6],
      ['REFCOUNT_NOT_ONE', 1020, 0x1_ffff_f010 + 6],
    ]);
  });
});
