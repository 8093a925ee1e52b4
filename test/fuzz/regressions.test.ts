import { describe, expect, it } from 'vitest';
import { encodeImage } from '../../src/codec/encode-image.js';
import { encode } from '../../src/codec/encode.js';
import { ImageMemory } from '../../src/fuzz/image-memory.js';
import { validate } from '../../src/validate/index.js';

/** Cases the fuzzer found, kept as plain tests. */
describe('found by kho-abi fuzz', () => {
  it('a block link past 2^53 is BLOCK_UNRESOLVED without an inexact offset (splice on pci-v1/blk12)', () => {
    const memory = new ImageMemory(encodeImage({ root: { version: 1, nr_devices: 0, devices: 0 } }, 'pci/blk16-v1'));
    for (const head of ['0x20000000000000', '0xfffffffffffff000']) {
      const root = encode({ root: { version: 1, nr_devices: 0, devices: head } }, 'pci/blk16-v1');
      const [f] = validate(root, 'pci/blk16-v1', { memory }).findings;
      expect(f).toMatchObject({ rule: 'BLOCK_UNRESOLVED', message: expect.stringContaining(head) });
      expect(f!.offset).toBeUndefined();
    }
  });

  it('an address up to 2^53 keeps its exact offset', () => {
    const memory = new ImageMemory(encodeImage({ root: { version: 1, nr_devices: 0, devices: 0 } }, 'pci/blk16-v1'));
    const root = encode({ root: { version: 1, nr_devices: 0, devices: '0x1ffffffffff000' } }, 'pci/blk16-v1');
    expect(validate(root, 'pci/blk16-v1', { memory }).findings[0]).toMatchObject({ rule: 'BLOCK_UNRESOLVED', offset: 0x1ffffffffff000 });
  });
});
