import type { BlockChain } from '../block-chain/walk-chain.js';
import type { DecodedBlob } from '../codec/decode.js';
import type { Column, Columns } from '../codec/device-list.js';
import type { Finding, RuleId } from '../findings.js';
import type { PhysicalMemory } from '../memory/memory-image.js';
import type { PciAbi } from '../registry.js';

/** What a rule says about a blob, before the runner stamps its id and severity. */
export type Issue = Omit<Finding, 'rule' | 'severity'>;

/** Options of a validation run. */
export interface ValidateOptions {
  /** Findings kept per rule; the rest are counted in one closing finding (default 20). */
  readonly maxPerRule?: number;
  /** Block layouts: the physical memory holding the KHO block chain. */
  readonly memory?: PhysicalMemory;
  /** Block layouts: PAGE_SIZE of the kernel that wrote the chain (default 4096). */
  readonly pageSize?: number;
}

/** The columns of the in-use entries: domain and bdf, and every other field by its C name. */
export type EntryColumns = Columns & Readonly<Record<string, Column | undefined>>;

/** A root count or address: a number, or a bigint for u64 values past 2^53. */
export type RootValue = number | bigint;

/**
 * What one pass over the entries found: the entries in use, and for each rule with a scan the
 * entries it counted, also as a property named by the rule's id (how the compiled runner reads it).
 */
export interface EntryFacts {
  /** In-use entries (sorted: index < nr_devices; slots: refcount != 0; skeleton: none). */
  readonly inUse: number;
  /** The count of a rule's scan, undefined for a rule without one. */
  counted(rule: Rule): number | undefined;
}

/**
 * What the rules of one blob see: the bytes, the root fields by role, and facts computed
 * once (one pass over the entries) or on demand (the decoded blob, for detailed findings).
 */
export interface RuleContext {
  readonly abi: PciAbi;
  readonly bytes: Uint8Array;
  readonly options: ValidateOptions;
  /** pci_ser.nr_devices; undefined (like every root value) when the blob is shorter than the root. */
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
  /** The end of the last byte the root accounts for (root, then every slot). */
  readonly entriesEnd: number;
  /** Whether the blob ends before the root or before the last slot the root accounts for. */
  readonly truncated: boolean;
  /** One-pass facts about the entries; undefined when there are no entries to read. */
  readonly entries: EntryFacts | undefined;
  /** The blob decoded by the codec (lazily, for detailed findings); ask only when not truncated. */
  readonly decoded: DecodedBlob;
  /** Every pci_dev_ser field of the in-use entries as typed arrays, read in one pass when first asked and shared by the rules; ask only when not truncated. */
  readonly columns: EntryColumns;
  /** Byte offset of slot i; for a block chain, the physical address of stored entry i. */
  slotOffset(i: number): number;
  /** Whether every byte of slot i is zero. */
  slotIsZero(i: number): boolean;
}

/**
 * Entries the fast scan counts for a rule in its one pass over the slots: a JavaScript
 * condition on one entry, evaluated on every in-use entry or every free slot. It may use
 * the entry's fields by role (`domain`, `bdf`, `refcount`, `reserved`; 0 where the layout
 * has none), `i` (the slot), and: for in-use entries `key` (domain << 16 | bdf) and `prev`
 * (the previous in-use entry's key, -1 before the first), `bitsets` (the keys seen so far,
 * a DomainBitsets, for blobs of 4096 slots or more; else undefined); for free slots
 * `nonZero` (the slot holds a non-zero byte).
 */
export interface EntryCount {
  readonly over: 'in-use' | 'free';
  readonly counts: string;
}

/**
 * A validation rule: one invariant, as a plain object. `check` yields nothing for a blob
 * that keeps it; `counted` is how many entries its `scan` counted (undefined without a scan,
 * or when the blob's entries cannot be read).
 */
export interface Rule {
  readonly id: RuleId;
  readonly severity: 'error' | 'warning';
  /** One line: what the rule requires. */
  readonly doc: string;
  /** Whether the rule concerns blobs of this layout (by semantics, storage, version). */
  appliesTo(abi: PciAbi): boolean;
  readonly scan?: EntryCount;
  check(ctx: RuleContext, counted: number | undefined): Iterable<Issue>;
}

/** The empty result of a check that found nothing (shared, so a clean blob allocates nothing). */
export const NONE: readonly Issue[] = Object.freeze([]);
