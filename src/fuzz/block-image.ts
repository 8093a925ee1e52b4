import fc from 'fast-check';
import { encodeImage, type ImageInput } from '../codec/encode-image.js';
import { entriesPerBlock, PAGE_SIZES } from '../block-chain/page-size.js';
import type { PciAbi } from '../registry.js';
import type { GenSet } from './kernel-writers.js';
import { writeDevices } from './kernel-writers.js';
import { bulkHistory, topologyArb, writerOpsArb } from './topology.js';

/** A block layout's device set written into an ELF core image by the image encoder. */
export interface GenImage {
  readonly set: GenSet;
  readonly bytes: Uint8Array;
  readonly rootAddress: bigint;
  readonly pageSize: number;
}

/** Where the root page goes and how the blocks are spread (stride in pages). */
interface Placement {
  readonly rootAddress: bigint;
  readonly stridePages: number;
  readonly pageSize: number;
}

/** Block counts for `stored` entries: `first` entries in block 0 (default full), then full blocks, the last one partial. */
export function blockCounts(stored: number, perBlock: number, first = perBlock): number[] {
  const counts: number[] = [];
  for (let left = stored, k = 0; left > 0; k++) {
    const n = Math.min(k === 0 ? first : perBlock, left);
    counts.push(n);
    left -= n;
  }
  return counts;
}

/** Encode a block layout's device set (and the given block counts) as an ELF core. */
export function imageOf(abi: PciAbi, set: GenSet, place: Placement, counts?: readonly number[]): GenImage {
  const perBlock = entriesPerBlock(place.pageSize, abi.entry.size);
  const input: ImageInput = {
    root: set.root,
    devices: set.devices,
    chain: { pageSize: place.pageSize, blocks: (counts ?? blockCounts(set.stored ?? 0, perBlock)).map((count) => ({ count })) },
  };
  const bytes = encodeImage(input, abi.id, { rootAddress: place.rootAddress, blockStride: BigInt(place.stridePages * place.pageSize) });
  return { set, bytes, rootAddress: place.rootAddress, pageSize: place.pageSize };
}

/** Root addresses below and above 4 GiB, strides that leave holes, mostly 4 KiB pages. */
const placementArb: fc.Arbitrary<Placement> = fc.record({
  rootAddress: fc.constantFrom(0x100000n, 0x7ff00000n, 0x1_0000_0000n),
  stridePages: fc.constantFrom(1, 1, 2, 7),
  pageSize: fc.oneof({ weight: 9, arbitrary: fc.constant(PAGE_SIZES[0]) }, { weight: 1, arbitrary: fc.constant(PAGE_SIZES[1]) }),
});

/** A block layout's device set as its writer leaves it: small sets, and now and then one over several full blocks. */
function blockSetArb(abi: PciAbi): fc.Arbitrary<GenSet> {
  const small = fc.tuple(topologyArb(abi, 40), writerOpsArb(60)).map(([nodes, ops]) => writeDevices(abi, nodes, ops, Infinity));
  const bulk = fc
    .record({ seed: fc.integer(), count: fc.integer({ min: 520, max: 1100 }) })
    .map(({ seed, count }) => {
      const { nodes, ops } = bulkHistory(seed, count);
      return writeDevices(abi, nodes, ops, Infinity);
    });
  return fc.oneof({ weight: 19, arbitrary: small }, { weight: 1, arbitrary: bulk });
}

/** A valid image of a block layout: a kernel-like set in dense blocks at generated addresses. */
export function validImageArb(abi: PciAbi): fc.Arbitrary<GenImage> {
  return fc.tuple(blockSetArb(abi), placementArb).map(([set, place]) => imageOf(abi, set, place));
}
