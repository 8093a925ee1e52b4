import { claimedSlots } from '../codec/slots.js';
import { checkPageSize, DEFAULT_PAGE_SIZE } from '../block-chain/page-size.js';
import { entryAddress, walkBlockChain } from '../block-chain/walk-chain.js';
import { decode, type DecodeOptions, type DecodedBlob } from '../codec/decode.js';
import type { PciAbi } from '../registry.js';
import type { EntryColumns, EntryFacts, RuleContext, ValidateOptions } from './rule.js';
import { planOf, type LayoutPlan } from './layout-plan.js';

export type { ValidateOptions } from './rule.js';

/** The RuleContext values the constructor computes (declared once, in RuleContext). */
type Computed = Pick<RuleContext, 'nr' | 'max' | 'version' | 'head' | 'slots' | 'chain' | 'entriesEnd' | 'truncated'>;

// Declaration merging gives the class Computed's members without declaring them a second time.
export interface CheckContext extends Computed {}

/** What the rules of one blob share (see RuleContext), computed from the bytes and the options. */
export class CheckContext implements RuleContext {
  // Declared only: the constructor assigns every field, always in the same order (one object shape, no field initializer to run).
  declare readonly abi: PciAbi;
  declare readonly bytes: Uint8Array;
  declare readonly options: ValidateOptions;
  /** The layout's compiled root readers, scan and rule runner. */
  declare readonly plan: LayoutPlan;
  private declare facts: EntryFacts | undefined;
  private declare blob: DecodedBlob | undefined;
  private declare entryColumns: EntryColumns | undefined;

  constructor(abi: PciAbi, bytes: Uint8Array, options: ValidateOptions = {}) {
    this.abi = abi;
    this.bytes = bytes;
    this.options = options;
    const plan = planOf(abi);
    const { root } = plan;
    const hasRoot = bytes.length >= abi.root.size;
    const nr = hasRoot ? root.nr(bytes) : undefined;
    const max = hasRoot && root.max ? root.max(bytes) : undefined;
    const head = hasRoot && root.head ? root.head(bytes) : undefined;
    const chain = head !== undefined && options.memory
      ? walkBlockChain(options.memory, BigInt(head), { pageSize: checkPageSize(options.pageSize ?? DEFAULT_PAGE_SIZE), entrySize: abi.entry.size })
      : undefined;
    const accepted = chain !== undefined && !chain.findings.some((f) => f.severity === 'error');
    const slots = hasRoot && abi.storage === 'inline' ? slotCount(claimedSlots(abi, nr!, max).count) : accepted ? chain.stored : 0;
    const entriesEnd = abi.storage === 'inline' ? abi.roles.devices.offset + slots * abi.entry.size : abi.root.size;
    const self = this as { -readonly [K in keyof Computed]: Computed[K] };
    self.nr = nr;
    self.max = max;
    self.version = hasRoot && root.version ? root.version(bytes) : undefined;
    self.head = head;
    self.slots = slots;
    self.chain = chain;
    self.entriesEnd = entriesEnd;
    self.truncated = !hasRoot || entriesEnd > bytes.length;
    this.plan = plan;
    this.facts = undefined;
    this.blob = undefined;
    this.entryColumns = undefined;
  }

  /** One-pass facts about the entries; undefined when there are no inline entries to read. */
  get entries(): EntryFacts | undefined {
    if (this.facts !== undefined || this.truncated) return this.facts;
    if (this.abi.storage === 'inline') this.facts = this.plan.scan.count(this.bytes, this.nr!, this.slots);
    else if (this.chainAccepted) this.facts = this.plan.scan.count(this.chain!.entries, this.nr!, this.slots);
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

  /** Every pci_dev_ser field of the in-use entries as typed arrays, read in one pass when first asked; ask only when not truncated. */
  get columns(): EntryColumns {
    this.entryColumns ??= this.decoded.devices!.columns() as EntryColumns;
    return this.entryColumns;
  }

  /** Byte offset of slot i; for a block chain, the physical address of stored entry i. */
  slotOffset(i: number): number {
    return this.chain ? Number(entryAddress(this.chain, i)) : this.abi.roles.devices.offset + i * this.abi.entry.size;
  }

  /** Whether every byte of slot i is zero. */
  slotIsZero(i: number): boolean {
    const size = this.abi.entry.size;
    return this.chain ? isZero(this.chain.entries, i * size, size) : isZero(this.bytes, this.slotOffset(i), size);
  }
}

function isZero(bytes: Uint8Array, at: number, size: number): boolean {
  for (let i = at; i < at + size; i++) if (bytes[i] !== 0) return false;
  return true;
}

/** A claimed slot count as a number: a bigint one (past 2^53) stops at Number.MAX_SAFE_INTEGER. */
function slotCount(count: number | bigint): number {
  return typeof count === 'number' ? count : Math.min(Number(count), Number.MAX_SAFE_INTEGER);
}
