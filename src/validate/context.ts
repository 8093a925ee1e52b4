import { claimedSlots } from '../codec/slots.js';
import { checkPageSize, DEFAULT_PAGE_SIZE } from '../block-chain/page-size.js';
import { entryAddress, walkBlockChain } from '../block-chain/walk-chain.js';
import { decode, type DecodeOptions, type DecodedBlob } from '../codec/decode.js';
import { readInt } from '../layout/field-io.js';
import type { FieldLayout } from '../layout/engine.js';
import type { PciAbi } from '../registry.js';
import type { EntryFacts, RuleContext, ValidateOptions } from './rule.js';
import { planOf, type LayoutPlan } from './layout-plan.js';

export type { ValidateOptions } from './rule.js';

/** The RuleContext values the constructor computes (declared once, in RuleContext). */
type Computed = Pick<RuleContext, 'nr' | 'max' | 'version' | 'head' | 'slots' | 'chain' | 'entriesEnd' | 'truncated'>;

// Declaration merging gives the class Computed's members without declaring them a second time.
export interface CheckContext extends Computed {}

/** What the rules of one blob share (see RuleContext), computed from the bytes and the options. */
export class CheckContext implements RuleContext {
  /** Whether the blob holds struct pci_ser; the root values are undefined when not. */
  readonly hasRoot: boolean;
  /** Byte offset of devices[0] (inline layouts). */
  readonly entriesOffset: number;
  /** The layout's compiled scan and rule runner. */
  readonly plan: LayoutPlan;
  private facts: EntryFacts | undefined;
  private blob: DecodedBlob | undefined;

  constructor(
    readonly abi: PciAbi,
    readonly bytes: Uint8Array,
    readonly options: ValidateOptions = {},
  ) {
    const { roles } = abi;
    const read = (f: FieldLayout) => readInt(bytes, f.offset, f, true);
    const hasRoot = bytes.length >= abi.root.size;
    const nr = hasRoot ? read(roles.nr) : undefined;
    const max = hasRoot && roles.max ? read(roles.max) : undefined;
    const head = hasRoot && abi.storage === 'block-chain' ? read(roles.devices) : undefined;
    const chain = head !== undefined && options.memory
      ? walkBlockChain(options.memory, BigInt(head), { pageSize: checkPageSize(options.pageSize ?? DEFAULT_PAGE_SIZE), entrySize: abi.entry.size })
      : undefined;
    const accepted = chain !== undefined && !chain.findings.some((f) => f.severity === 'error');
    const slots = hasRoot && abi.storage === 'inline' ? Math.min(Number(claimedSlots(abi, nr!, max).count), Number.MAX_SAFE_INTEGER) : accepted ? chain.stored : 0;
    const entriesEnd = abi.storage === 'inline' ? roles.devices.offset + slots * abi.entry.size : abi.root.size;
    const self = this as { -readonly [K in keyof Computed]: Computed[K] };
    self.nr = nr;
    self.max = max;
    self.version = hasRoot && roles.version ? read(roles.version) : undefined;
    self.head = head;
    self.slots = slots;
    self.chain = chain;
    self.entriesEnd = entriesEnd;
    self.truncated = !hasRoot || entriesEnd > bytes.length;
    this.hasRoot = hasRoot;
    this.entriesOffset = roles.devices.offset;
    this.plan = planOf(abi);
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

function isZero(bytes: Uint8Array, at: number, size: number): boolean {
  for (let i = at; i < at + size; i++) if (bytes[i] !== 0) return false;
  return true;
}

