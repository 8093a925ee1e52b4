import { offsetText, type Finding, type RuleId } from '../findings.js';
import { readInt } from '../layout/field-io.js';
import type { PhysicalMemory } from '../memory/memory-image.js';
import { blockHeader, entriesPerBlock, MAX_BLOCKS, pageSizeHint } from './page-size.js';

/** The rules the walker checks: the BLOCK_* rules. */
type ChainRule = Extract<RuleId, `BLOCK_${string}`>;

/** A BLOCK_* finding at the physical address of a block header (also its offset while that is exact). */
function chainFinding(rule: ChainRule, severity: 'error' | 'warning', address: bigint, message: string): Finding {
  const exact = address <= BigInt(Number.MAX_SAFE_INTEGER);
  return { rule, severity, message, address, ...(exact ? { offset: Number(address), length: blockHeader.size } : {}) };
}

/** One block of a chain as read: its header and where its entries sit in the chain's entry buffer. */
export interface BlockInfo {
  /** Physical address of the block header. */
  readonly address: bigint;
  /** kho_block_header_ser.next and .count as stored. */
  readonly next: bigint;
  readonly count: bigint;
  /** Chain-wide index of the block's first entry (sum of the stored entries before it). */
  readonly firstIndex: number;
  /** Entries copied from this block: count, or none when count is invalid. */
  readonly stored: number;
}

/** A walked KHO block chain: its blocks, their stored entries back to back, and what is wrong with it. */
export interface BlockChain {
  readonly head: bigint;
  readonly pageSize: number;
  readonly entrySize: number;
  readonly entriesPerBlock: number;
  readonly blocks: readonly BlockInfo[];
  /** Every stored entry of every block, in chain order: entry i at i * entrySize; empty when the chain has errors (the kernel rejects it whole). */
  readonly entries: Uint8Array;
  /** Number of entries in `entries`. */
  readonly stored: number;
  /** The BLOCK_* findings, in chain order. */
  readonly findings: readonly Finding[];
  /** The memory the chain was read from (for stale bytes and hexdumps). */
  readonly memory: PhysicalMemory;
}

const nextField = blockHeader.fields.find((f) => f.name === 'next')!;
const countField = blockHeader.fields.find((f) => f.name === 'count')!;

/**
 * Follow `next` from `head` and check every block rule; never throws on a bad chain.
 * Stops at the first block it cannot trust (unresolved, misaligned, revisited, the
 * 10001st): time and memory stay bounded by MAX_BLOCKS.
 */
export function walkBlockChain(memory: PhysicalMemory, head: bigint, opts: { pageSize: number; entrySize: number }): BlockChain {
  const { pageSize, entrySize } = opts;
  const perBlock = entriesPerBlock(pageSize, entrySize);
  const page = BigInt(pageSize);
  const seen = new Map<bigint, number>();
  const blocks: BlockInfo[] = [];
  const findings: Finding[] = [];
  const error = (rule: ChainRule, address: bigint, message: string) => findings.push(chainFinding(rule, 'error', address, message));
  const header = new Uint8Array(blockHeader.size);
  let stored = 0;
  let at = head;
  let from = 'pci_ser.devices';
  while (at !== 0n) {
    const k = blocks.length;
    const where = `block ${k} at ${offsetText(at)} (${from})`;
    if (k === MAX_BLOCKS) {
      error('BLOCK_CHAIN_TOO_LONG', at, `the chain goes on past ${MAX_BLOCKS} blocks: ${where}`);
      break;
    }
    const again = seen.get(at);
    if (again !== undefined) {
      error('BLOCK_CYCLE', at, `${from} = ${offsetText(at)} points back to block ${again}: the chain is a cycle`);
      break;
    }
    if (at % page !== 0n) {
      error('BLOCK_MISALIGNED', at, `${where} is not aligned to the ${pageSize}-byte page`);
      break;
    }
    if (!memory.readInto(at, header)) {
      error('BLOCK_UNRESOLVED', at, `${where} is not in any memory image`);
      break;
    }
    if (!memory.resolves(at, pageSize)) {
      error('BLOCK_UNRESOLVED', at, `${where}: only part of its ${pageSize}-byte page is in the memory images`);
      break;
    }
    const next = BigInt(readInt(header, nextField.offset, nextField));
    const count = BigInt(readInt(header, countField.offset, countField));
    let n = Number(count);
    if (count === 0n || count > BigInt(perBlock)) {
      error('BLOCK_COUNT_INVALID', at, `${where}: count = ${count}, a block holds 1..${perBlock} entries${count === 0n ? '' : pageSizeHint(count, 1, pageSize, entrySize)}`);
      n = 0;
    }
    seen.set(at, k);
    blocks.push({ address: at, next, count, firstIndex: stored, stored: n });
    stored += n;
    from = `next of block ${k}`;
    at = next;
  }
  blocks.forEach((b, k) => {
    if (k < blocks.length - 1 && b.stored > 0 && b.stored < perBlock) {
      findings.push(chainFinding('BLOCK_NOT_DENSE', 'warning', b.address, `block ${k} at ${offsetText(b.address)} holds ${b.count} of ${perBlock} entries but is not the last block`));
    }
  });
  if (findings.some((f) => f.severity === 'error')) {
    return { head, pageSize, entrySize, entriesPerBlock: perBlock, blocks, entries: new Uint8Array(0), stored: 0, findings, memory };
  }
  const entries = new Uint8Array(stored * entrySize);
  for (const b of blocks) {
    const start = b.firstIndex * entrySize;
    memory.readInto(b.address + BigInt(blockHeader.size), entries.subarray(start, start + b.stored * entrySize));
  }
  return { head, pageSize, entrySize, entriesPerBlock: perBlock, blocks, entries, stored, findings, memory };
}

/** Physical address of the chain's stored entry `index` (its block found by binary search). */
export function entryAddress(chain: BlockChain, index: number): bigint {
  const { blocks } = chain;
  let lo = 0;
  let hi = blocks.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (blocks[mid]!.firstIndex <= index) lo = mid;
    else hi = mid - 1;
  }
  const b = blocks[lo]!;
  return b.address + BigInt(blockHeader.size + (index - b.firstIndex) * chain.entrySize);
}
