import { entryAddress, walkBlockChain, type BlockChain } from '../block-chain/walk-chain.js';
import { encode } from '../codec/encode.js';
import { readInt, writeInt } from '../layout/field-io.js';
import type { FieldLayout } from '../layout/engine.js';
import { readPciBlob } from '../codec/read-pci-blob.js';
import type { PciAbi } from '../registry.js';
import { slotCount, type GenBlob } from './arbitraries.js';
import type { GenImage } from './block-image.js';
import type { CaseImage, FuzzCase } from './fuzz-case.js';
import { ImageMemory } from './image-memory.js';

/** A valid case with what mutators need to know about it: where the root, every slot and every block link sit in `bytes`. */
export interface BaseCase {
  readonly abi: PciAbi;
  /** The blob, or the ELF core image for block layouts. */
  readonly bytes: Uint8Array;
  readonly image?: CaseImage & { readonly memory: ImageMemory; readonly chain: BlockChain };
  /** The device set the writer left (`stored`: entries in the chain). */
  readonly set: GenBlob;
  /** Offset of struct pci_ser in `bytes`. */
  readonly rootOffset: number;
  /** Entry slots: the root's (inline) or the chain's stored entries (block). */
  readonly slots: number;
  /** Slots in use and free ones. */
  readonly inUse: readonly number[];
  readonly free: readonly number[];
  /** Offset of slot i in `bytes`. */
  slotOffset(i: number): number;
}

/** A flat id's valid blob, encoded. */
export function flatBase(abi: PciAbi, set: GenBlob): BaseCase {
  const bytes = encode(set, abi.id);
  const slots = slotCount(abi, set.root);
  const used = new Set(set.devices.map((d) => d.index));
  const all = [...Array(slots).keys()];
  const base = abi.roles.devices.offset;
  return {
    abi, bytes, set, rootOffset: 0, slots,
    inUse: all.filter((i) => used.has(i)),
    free: all.filter((i) => !used.has(i)),
    slotOffset: (i) => base + i * abi.entry.size,
  };
}

/** A block id's valid image, with its chain walked. */
export function imageBase(abi: PciAbi, g: GenImage): BaseCase {
  const memory = new ImageMemory(g.bytes);
  const head = BigInt(readInt(memory.read(g.rootAddress, abi.root.size)!, abi.roles.devices.offset, abi.roles.devices));
  const chain = walkBlockChain(memory, head, { pageSize: g.pageSize, entrySize: abi.entry.size });
  const used = new Set(g.set.devices.map((d) => d.index));
  const all = [...Array(chain.stored).keys()];
  return {
    abi, bytes: g.bytes, set: g.set, slots: chain.stored,
    image: { rootAddress: g.rootAddress, pageSize: g.pageSize, memory, chain },
    rootOffset: memory.offsetOf(g.rootAddress)!,
    inUse: all.filter((i) => used.has(i)),
    free: all.filter((i) => !used.has(i)),
    slotOffset: (i) => memory.offsetOf(entryAddress(chain, i))!,
  };
}

/** The root blob alone: the flat blob, or pci_ser as read from the image. */
export function rootBytes(b: BaseCase): Uint8Array {
  return b.image ? readPciBlob(b.image.memory, b.image.rootAddress, b.abi)! : b.bytes;
}

/** The case a base stands for: valid. */
export function validCase(b: BaseCase): FuzzCase {
  return { abi: b.abi.id, made: 'valid', expect: [], valid: true, bytes: b.bytes, ...imageOf(b) };
}

function imageOf(b: BaseCase): { image?: CaseImage } {
  return b.image ? { image: { rootAddress: b.image.rootAddress, pageSize: b.image.pageSize } } : {};
}

/** A mutated copy of the base's bytes (blob or image), same placement. */
export function mutated(b: BaseCase, made: string, expect: FuzzCase['expect'], edit: (copy: Uint8Array, view: DataView) => void): FuzzCase {
  const copy = b.bytes.slice();
  edit(copy, new DataView(copy.buffer));
  return { abi: b.abi.id, made, expect, valid: false, bytes: copy, ...imageOf(b) };
}

/** A case of the root blob alone (block layouts read without memory), or other bytes of a flat id. */
export function blobCase(b: BaseCase, made: string, expect: FuzzCase['expect'], bytes: Uint8Array): FuzzCase {
  return { abi: b.abi.id, made, expect, valid: false, bytes };
}

/** Write an integer field at `at` (the field's own offset is added). */
export function put(view: DataView, at: number, f: FieldLayout, value: bigint | number): void {
  writeInt(view, at + f.offset, f, BigInt(value));
}
