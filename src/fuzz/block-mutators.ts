import fc from 'fast-check';
import { blockHeader, entriesPerBlock } from '../block-chain/page-size.js';
import { mutated, put, type BaseCase } from './base-case.js';
import { blockCounts, imageOf } from './block-image.js';
import type { FuzzCase } from './fuzz-case.js';
import { longChainImage } from './long-chain.js';
import type { Mutator } from './mutator.js';

const nextField = blockHeader.fields.find((f) => f.name === 'next')!;
const countField = blockHeader.fields.find((f) => f.name === 'count')!;
const isBlock = (b: BaseCase) => b.image !== undefined;
const blocksOf = (b: BaseCase) => b.image!.chain.blocks;
const headerOffset = (b: BaseCase, k: number) => b.image!.memory.offsetOf(blocksOf(b)[k]!.address)!;

/** The links of a chain: pci_ser.devices, then each block's next, as (offset in the image, field). */
function links(b: BaseCase): Array<{ at: number; f: typeof nextField }> {
  return [{ at: b.rootOffset, f: b.abi.roles.devices }, ...blocksOf(b).map((_, k) => ({ at: headerOffset(b, k), f: nextField }))];
}

/** Point one link somewhere else. */
function relink(b: BaseCase, made: string, rule: FuzzCase['expect'][number], target: fc.Arbitrary<bigint>): fc.Arbitrary<FuzzCase> {
  return fc.tuple(fc.constantFrom(...links(b)), target).map(([l, pa]) => mutated(b, made, [rule], (_, view) => put(view, l.at, l.f, pa)));
}

/** A block's next pointing back at itself or an earlier block. */
const cycle: Mutator = {
  name: 'cycle',
  rule: 'BLOCK_CYCLE',
  applies: (b) => isBlock(b) && blocksOf(b).length > 0,
  cases: (b) =>
    fc.nat(blocksOf(b).length - 1).chain((k) =>
      fc.nat(k).map((j) => mutated(b, 'cycle', ['BLOCK_CYCLE'], (_, view) => put(view, headerOffset(b, k), nextField, blocksOf(b)[j]!.address))),
    ),
};

/** A block count of 0, or above what a page holds. */
const badCount: Mutator = {
  name: 'block-count',
  rule: 'BLOCK_COUNT_INVALID',
  applies: (b) => isBlock(b) && blocksOf(b).length > 0,
  cases: (b) => {
    const per = BigInt(entriesPerBlock(b.image!.pageSize, b.abi.entry.size));
    const count = fc.oneof(fc.constant(0n), fc.constant(per + 1n), fc.bigInt({ min: per + 1n, max: (1n << 64n) - 1n }));
    return fc.tuple(fc.nat(blocksOf(b).length - 1), count).map(([k, n]) => mutated(b, 'block-count', ['BLOCK_COUNT_INVALID'], (_, view) => put(view, headerOffset(b, k), countField, n)));
  },
};

/** A link to an address that is not page aligned. */
const misaligned: Mutator = {
  name: 'misaligned',
  rule: 'BLOCK_MISALIGNED',
  applies: isBlock,
  cases: (b) => {
    const page = b.image!.pageSize;
    const near = fc.constantFrom(...[b.image!.rootAddress, ...blocksOf(b).map((x) => x.address)]);
    return relink(b, 'misaligned', 'BLOCK_MISALIGNED', fc.tuple(near, fc.integer({ min: 1, max: page - 1 })).map(([a, d]) => a + BigInt(d)));
  },
};

/** A link to a page-aligned address no segment of the image maps. */
const unresolved: Mutator = {
  name: 'unresolved',
  rule: 'BLOCK_UNRESOLVED',
  applies: isBlock,
  cases: (b) => {
    const page = BigInt(b.image!.pageSize);
    const far = fc.bigInt({ min: 1n, max: (1n << 40n) }).map((k) => 0x40_0000_0000n + k * page);
    return relink(b, 'unresolved', 'BLOCK_UNRESOLVED', far.filter((pa) => !b.image!.memory.resolves(pa, 1)));
  },
};

/** pci_ser.devices = 0 while nr_devices > 0. */
const devicesNull: Mutator = {
  name: 'devices-null',
  rule: 'DEVICES_NULL',
  applies: isBlock,
  cases: (b) => {
    const { nr, devices } = b.abi.roles;
    return fc.integer({ min: 1, max: 0xffffffff }).map((n) =>
      mutated(b, 'devices-null', ['DEVICES_NULL'], (_, view) => {
        put(view, b.rootOffset, devices, 0n);
        put(view, b.rootOffset, nr, n);
      }),
    );
  },
};

/** The same entries with a block before the last one not full: encoded by the image encoder, still valid. */
const notDense: Mutator = {
  name: 'not-dense',
  rule: 'BLOCK_NOT_DENSE',
  applies: (b) => isBlock(b) && b.slots >= 2,
  cases: (b) => {
    const per = entriesPerBlock(b.image!.pageSize, b.abi.entry.size);
    return fc.integer({ min: 1, max: Math.min(b.slots - 1, per - 1) }).map((first) => {
      const place = { rootAddress: b.image!.rootAddress, pageSize: b.image!.pageSize, stridePages: 1 };
      const g = imageOf(b.abi, b.set, place, blockCounts(b.slots, per, first));
      return { abi: b.abi.id, made: 'not-dense', expect: ['BLOCK_NOT_DENSE'], valid: true, bytes: g.bytes, image: { rootAddress: g.rootAddress, pageSize: g.pageSize } };
    });
  },
};

const longChains = new Map<string, ReturnType<typeof longChainImage>>();

/** A chain of 10,001 blocks (in under 1 MiB: the blocks' pages overlap in the image file). */
const tooLong: Mutator = {
  name: 'too-long',
  rule: 'BLOCK_CHAIN_TOO_LONG',
  weight: 2,
  applies: isBlock,
  cases: (b) => {
    let img = longChains.get(b.abi.id);
    if (!img) longChains.set(b.abi.id, (img = longChainImage(b.abi)));
    return fc.constant({ abi: b.abi.id, made: 'too-long', expect: ['BLOCK_CHAIN_TOO_LONG'], valid: false, bytes: img.bytes, image: { rootAddress: img.rootAddress, pageSize: img.pageSize } });
  },
};

/** Mutators of KHO block chains in an image, one rule each. */
export const blockMutators: readonly Mutator[] = [devicesNull, unresolved, misaligned, cycle, tooLong, badCount, notDense];
