import { acceptedChain, readBlockChain } from '../block-chain/read-chain.js';
import type { BlockChain } from '../block-chain/walk-chain.js';
import { BlobError } from '../errors.js';
import type { PhysicalMemory } from '../memory/memory-image.js';
import { getAbi, type AbiId, type AbiName, type PciAbi } from '../registry.js';
import { blobBytes, type BlobBytes } from './blob-bytes.js';
import { DeviceList } from './device-list.js';
import { readInt } from '../layout/field-io.js';
import { claimedSlots } from './slots.js';
import type { ByteRun, DevicesOf, RootOf } from './types.js';

/** Zero runs at least this long split the stale bytes into separate runs. */
const RUN_GAP = 8;

/** A decoded pci_ser blob. Entries are read from the bytes when asked for. */
export class DecodedBlob<I extends AbiId = AbiId> {
  /** Entry slots the root accounts for (devices[0..slots)); for block layouts, the entries stored in the chain. */
  readonly slots: number;
  /** Byte offset of devices[0] (inline layouts). */
  readonly entriesOffset: number;
  private extraRuns: ByteRun[] | undefined;
  /** The list decode made, to tell whether `devices` was replaced since. */
  readonly #decodedDevices: DevicesOf<I>;

  constructor(
    readonly layout: PciAbi & { id: I },
    readonly bytes: Uint8Array,
    readonly root: RootOf<I>,
    /** The in-use entries; null for block layouts until their chain is read from memory. */
    readonly devices: DevicesOf<I>,
    slots: number,
    /** Block layouts decoded with a memory image: the KHO block chain the entries were read from. */
    readonly chain: BlockChain | null = null,
    /** Physical address the root was read from, when it came from a memory image. */
    readonly rootAddress: bigint | null = null,
  ) {
    this.slots = slots;
    this.entriesOffset = layout.roles.devices.offset;
    this.#decodedDevices = devices;
  }

  /**
   * Whether root and devices still say what decode read from `bytes`: nothing was
   * assigned to them since. Encoding such a blob is copying its bytes.
   */
  get unchanged(): boolean {
    if (this.devices !== this.#decodedDevices) return false;
    const root = this.root as Record<string, unknown>;
    const fields = this.layout.root.fields.filter((f) => !f.flexible);
    if (Object.keys(root).length !== fields.length) return false;
    return fields.every((f) => root[f.name] === readInt(this.bytes, f.offset, f));
  }

  get abi(): I {
    return this.layout.id;
  }

  get compatible(): string {
    return this.layout.compatible;
  }

  /** Length of the blob in bytes. */
  get size(): number {
    return this.bytes.length;
  }

  /** Non-zero bytes outside every decoded field: stale free slots, reserved holes, trailing bytes. */
  get extra(): readonly ByteRun[] {
    this.extraRuns ??= nonZeroRuns(this.bytes, coveredRanges(this, this.#decodedDevices));
    return this.extraRuns;
  }
}

/** Where block layouts find their devices. */
export interface DecodeOptions {
  /** Physical memory holding the KHO block chain (block layouts). */
  readonly memory?: PhysicalMemory;
  /** PAGE_SIZE of the kernel that wrote the chain: 4096 (default), 16384 or 65536. */
  readonly pageSize?: number;
  /** Physical address the root bytes were read from, kept for encode. */
  readonly rootAddress?: bigint;
  /** The chain, already walked from this root (validate walks it once for its rules and decode). */
  readonly chain?: BlockChain;
}

/**
 * Decode a pci_ser blob under an ABI id. Throws BlobError(BLOB_TRUNCATED) when the
 * blob ends before the root or before the entries the root claims; the check is
 * made before anything is allocated.
 */
export function decode<I extends AbiId>(bytes: BlobBytes, abi: I, opts?: DecodeOptions): DecodedBlob<I>;
export function decode<S extends string>(bytes: BlobBytes, abi: AbiName<S>, opts?: DecodeOptions): DecodedBlob;
export function decode(input: BlobBytes, abi: string, opts: DecodeOptions = {}): DecodedBlob {
  const bytes = blobBytes(input);
  const layout = getAbi(abi);
  const { root: rootStruct, entry, roles } = layout;
  const cut = truncation(bytes, layout);
  if (cut) throw new BlobError('BLOB_TRUNCATED', cut.offset, cut.message);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const root: Record<string, number | bigint> = {};
  for (const f of rootStruct.fields) if (!f.flexible) root[f.name] = readInt(bytes, f.offset, f);
  if (layout.storage === 'block-chain') {
    const at = opts.rootAddress ?? null;
    if (!opts.memory && !opts.chain) return new DecodedBlob(layout, bytes, root as never, null, 0, null, at);
    const chain = opts.chain ? acceptedChain(opts.chain, layout) : readBlockChain(opts.memory!, root[roles.devices.name] as bigint, layout, opts.pageSize);
    const entries = new DataView(chain.entries.buffer, chain.entries.byteOffset, chain.entries.byteLength);
    const devices = new DeviceList(entries, 0, entry, chain.stored, roles.refcount!);
    return new DecodedBlob(layout, bytes, root as never, devices as never, chain.stored, chain, at);
  }

  const nr = root.nr_devices!;
  const max = roles.max ? root[roles.max.name]! : undefined;
  const { count: claimed } = claimedSlots(layout, nr, max);
  const base = roles.devices.offset;
  const slots = Number(claimed);
  // Sorted: devices[0..nr_devices) in use. Skeleton: none. Slots: those whose refcount is non-zero, found when first asked for.
  const devices =
    layout.semantics === 'sorted'
      ? new DeviceList(view, base, entry, Number(nr), null)
      : layout.semantics === 'skeleton'
        ? new DeviceList(view, base, entry, 0, null)
        : new DeviceList(view, base, entry, slots, roles.refcount!);
  return new DecodedBlob(layout, bytes, root as never, devices as never, slots);
}

/**
 * Why decode would refuse a blob as BLOB_TRUNCATED (it ends before the root, or before the
 * entries the root claims), or undefined; without throwing, so validate pays no exception.
 */
export function truncation(bytes: Uint8Array, layout: PciAbi): { offset: number; message: string } | undefined {
  const { root: rootStruct, entry, roles } = layout;
  if (bytes.length < rootStruct.size) {
    return { offset: bytes.length, message: `blob is ${bytes.length} bytes, struct pci_ser of ${layout.id} needs ${rootStruct.size}` };
  }
  if (layout.storage !== 'inline') return undefined;
  const nr = readInt(bytes, roles.nr.offset, roles.nr, true);
  const max = roles.max ? readInt(bytes, roles.max.offset, roles.max, true) : undefined;
  const { count: claimed, by } = claimedSlots(layout, nr, max);
  const base = roles.devices.offset;
  const available = Math.floor((bytes.length - base) / entry.size);
  if (claimed <= available) return undefined;
  return {
    offset: bytes.length,
    message: `${by} = ${claimed} claims ${claimed} entries of ${entry.size} bytes from offset ${base}, but the blob is ${bytes.length} bytes (room for ${available})`,
  };
}

/** Byte ranges [start, end) that decoded fields account for, ascending. */
function coveredRanges(d: DecodedBlob, devices: DeviceList | null): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const push = (s: number, e: number) => {
    const last = out.at(-1);
    if (last && last[1] === s) last[1] = e;
    else if (e > s) out.push([s, e]);
  };
  for (const f of d.layout.root.fields) push(f.offset, f.offset + f.size);
  if (devices && !d.chain) {
    const { entry } = d.layout;
    for (let i = 0; i < devices.length; i++) {
      const at = d.entriesOffset + devices.indexAt(i) * entry.size;
      for (const f of entry.fields) push(at + f.offset, at + f.offset + f.size);
    }
  }
  return out;
}

/** Runs of non-zero bytes outside the covered ranges (ascending); zero gaps of RUN_GAP or more split runs. */
export function nonZeroRuns(bytes: Uint8Array, covered: Array<[number, number]>): ByteRun[] {
  const runs: ByteRun[] = [];
  let pos = 0;
  for (const [s, e] of [...covered, [bytes.length, bytes.length] as [number, number]]) {
    let runStart = -1;
    let lastNonZero = -1;
    for (let i = pos; i < s; i++) {
      if (bytes[i] === 0) continue;
      if (runStart >= 0 && i - lastNonZero > RUN_GAP) {
        runs.push({ offset: runStart, bytes: bytes.slice(runStart, lastNonZero + 1) });
        runStart = -1;
      }
      if (runStart < 0) runStart = i;
      lastNonZero = i;
    }
    if (runStart >= 0) runs.push({ offset: runStart, bytes: bytes.slice(runStart, lastNonZero + 1) });
    pos = Math.max(pos, e);
  }
  return runs;
}
