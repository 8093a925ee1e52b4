import { claimedSlots } from '../codec/slots.js';
import { checkPageSize } from '../block-chain/page-size.js';
import { entryAddress, walkBlockChain, type BlockChain } from '../block-chain/walk-chain.js';
import { decode, type DecodeOptions, type DecodedBlob } from '../codec/decode.js';
import type { FieldLayout } from '../layout/engine.js';
import type { PhysicalMemory } from '../memory/memory-image.js';
import type { PciAbi } from '../registry.js';
import { isZero, readUint, scanEntries, type EntryFacts } from './scan.js';

/** Options of a validation run. */
export interface ValidateOptions {
  /** Findings kept per rule; the rest are counted in one closing finding (default 20; 0 keeps all). */
  readonly maxPerRule?: number;
  /** Block layouts: the physical memory holding the KHO block chain. */
  readonly memory?: PhysicalMemory;
  /** Block layouts: PAGE_SIZE of the kernel that wrote the chain (default 4096). */
  readonly pageSize?: number;
}

/** A root count or address: a number, or a bigint for u64 values past 2^53. */
export type RootValue = number | bigint;

/**
 * What the rules of one blob share: the bytes, the root fields by role, and facts
 * computed once (one pass over the entries) or on demand (the decoded blob, for
 * detailed findings). Later issues add optional inputs here (memory image, block
 * chain) without touching the rules.
 */
export class CheckContext {
  /** Whether the blob holds struct pci_ser; the root values below are undefined when not. */
  readonly hasRoot: boolean;
  /** pci_ser.nr_devices */
  readonly nr: RootValue | undefined;
  /** pci_ser.max_nr_devices, for layouts that have it. */
  readonly max: RootValue | undefined;
  /** pci_ser.version, for layouts that have it. */
  readonly version: RootValue | undefined;
  /** pci_ser.devices as a physical address (block layouts). */
  readonly head: RootValue | undefined;
  /** Entry slots the root accounts for (inline layouts); for block layouts, the entries stored in an accepted chain. */
  readonly slots: number;
  /** Block layouts with a memory image: the walked KHO block chain (its findings feed the BLOCK_* rules). */
  readonly chain: BlockChain | undefined;
  /** Byte offset of devices[0] (inline layouts). */
  readonly entriesOffset: number;
  /** The end of the last byte the root accounts for (root, then every slot). */
  readonly entriesEnd: number;
  /** Whether the blob ends before the root or before the last slot the root accounts for. */
  readonly truncated: boolean;
  private facts: EntryFacts | undefined;
  private blob: DecodedBlob | undefined;

  constructor(
    readonly abi: PciAbi,
    readonly bytes: Uint8Array,
    readonly options: ValidateOptions = {},
  ) {
    const { roles } = abi;
    this.hasRoot = bytes.length >= abi.root.size;
    this.nr = this.hasRoot ? readCount(bytes, roles.nr) : undefined;
    this.max = this.hasRoot && roles.max ? readCount(bytes, roles.max) : undefined;
    this.version = this.hasRoot && roles.version ? readCount(bytes, roles.version) : undefined;
    this.head = this.hasRoot && abi.storage === 'block-chain' ? readCount(bytes, roles.devices) : undefined;
    this.chain = this.head !== undefined && options.memory
      ? walkBlockChain(options.memory, BigInt(this.head), { pageSize: checkPageSize(options.pageSize ?? 4096), entrySize: abi.entry.size })
      : undefined;
    this.slots = this.hasRoot && abi.storage === 'inline' ? Math.min(Number(claimedSlots(abi, this.nr!, this.max).count), Number.MAX_SAFE_INTEGER) : this.chainAccepted ? this.chain!.stored : 0;
    this.entriesOffset = roles.devices.offset;
    this.entriesEnd = abi.storage === 'inline' ? this.entriesOffset + this.slots * abi.entry.size : abi.root.size;
    this.truncated = !this.hasRoot || this.entriesEnd > bytes.length;
  }

  /** One-pass facts about the entries; undefined when there are no inline entries to read. */
  get entries(): EntryFacts | undefined {
    if (this.facts !== undefined || this.truncated) return this.facts;
    if (this.abi.storage === 'inline') this.facts = scanEntries(this.abi, this.bytes, this.nr!, this.slots);
    else if (this.chainAccepted) this.facts = scanEntries(this.abi, this.chain!.entries, this.nr!, this.slots, true);
    return this.facts;
  }

  /** Whether a block chain was read and the kernel's restore would accept it (no error finding). */
  get chainAccepted(): boolean {
    return this.chain !== undefined && !this.chain.findings.some((f) => f.severity === 'error');
  }

  private get decodeOptions(): DecodeOptions {
    return this.chain ? { chain: this.chain } : {};
  }

  /** The blob decoded by the codec (lazily, for detailed findings); ask only when not truncated. */
  get decoded(): DecodedBlob {
    this.blob ??= decode(this.bytes, this.abi.id, this.decodeOptions);
    return this.blob;
  }

  /** Byte offset of slot i; for a block chain, the physical address of stored entry i. */
  slotOffset(i: number): number {
    return this.chain ? Number(entryAddress(this.chain, i)) : this.entriesOffset + i * this.abi.entry.size;
  }

  /** Whether every byte of slot i is zero. */
  slotIsZero(i: number): boolean {
    const size = this.abi.entry.size;
    return this.chain ? isZero(this.chain.entries, i * size, size) : isZero(this.bytes, this.slotOffset(i), size);
  }
}

/** An unsigned root field; a u64 stays a number while exact (no bigint on the common path). */
function readCount(bytes: Uint8Array, f: FieldLayout): RootValue {
  const le = !f.bigEndian;
  if (f.size !== 8) return readUint(bytes, f.offset, f.size, le);
  const hi = readUint(bytes, le ? f.offset + 4 : f.offset, 4, le);
  if (hi < 0x200000) return hi * 0x1_0000_0000 + readUint(bytes, le ? f.offset : f.offset + 4, 4, le);
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(f.offset, le);
}

