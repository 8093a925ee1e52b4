import { encodeImage } from '../../src/codec/encode-image.js';
import { ImageMemory } from '../../src/fuzz/image-memory.js';
import { containerStruct } from '../../src/registry.js';
import type { PlacedBytes } from './qemu-images.js';

/** Where livePages put things, and what they must decode to. */
export interface LiveUpdateState {
  readonly pages: PlacedBytes[];
  readonly flbTable: bigint;
  readonly root: bigint;
  readonly abi: string;
  readonly pageSize: number;
  /** `lspci -D` addresses of the devices, in storage order. */
  readonly addresses: string[];
}

const flbHeader = containerStruct('luo-flb', 'luo_flb_header_ser');
const flbEntry = containerStruct('luo-flb', 'luo_flb_ser');

/**
 * The pages a kernel leaves for Live Update, to place in a guest: a LUO FLB table (a
 * "memfd-v1" entry and a "pci" one) and, at `root`, a pci/blk16-v1 struct pci_ser whose
 * chain of `nr` devices spreads its blocks over guest RAM (one block per `blockStride`),
 * all encoded by kho-abi's own encoder with `pageSize` pages.
 */
export function livePages(ramStart: bigint, nr: number, pageSize = 4096, blockStride = 0x100_0000n): LiveUpdateState {
  const abi = 'pci/blk16-v1';
  const flbTable = ramStart + 0x20_0000n;
  const root = ramStart + 0x30_0000n;
  const addresses = Array.from({ length: nr }, (_, i) => `${(i >> 13).toString(16).padStart(4, '0')}:${((i >> 5) & 0xff).toString(16).padStart(2, '0')}:${(i & 31).toString(16).padStart(2, '0')}.${i % 8}`);
  const devices = addresses.map((address, index) => ({ index, address, refcount: 1 }));
  const core = encodeImage({ root: { version: 1, nr_devices: nr, devices: 0 }, devices }, abi, {
    pageSize,
    rootAddress: root,
    blocksAddress: root + BigInt(pageSize),
    blockStride,
  });
  const image = new ImageMemory(core);
  const pages: PlacedBytes[] = image.loads.map((l) => ({ pa: l.start, bytes: core.slice(l.offset, l.offset + Number(l.end - l.start)) }));

  const table = new Uint8Array(pageSize);
  const v = new DataView(table.buffer);
  const set = (s: typeof flbHeader, name: string, at: number, value: bigint) => v.setBigUint64(at + s.fields.find((f) => f.name === name)!.offset, value, true);
  set(flbHeader, 'pgcnt', 0, 1n);
  set(flbHeader, 'count', 0, 2n);
  [['memfd-v1', ramStart + 0x28_0000n, 3n], ['pci', root, 1n]].forEach(([name, data, count], i) => {
    const at = flbHeader.size + i * flbEntry.size;
    table.set(Buffer.from(name as string), at);
    set(flbEntry, 'data', at, data as bigint);
    set(flbEntry, 'count', at, count as bigint);
  });
  pages.push({ pa: flbTable, bytes: table });
  return { pages, flbTable, root, abi, pageSize, addresses };
}
