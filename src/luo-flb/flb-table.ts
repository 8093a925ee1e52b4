import { UsageError } from '../errors.js';
import type { Finding } from '../findings.js';
import { readInt } from '../layout/field-io.js';
import type { PhysicalMemory } from '../memory/memory-image.js';
import { containerStruct } from '../registry.js';
import { DEFAULT_PAGE_SIZE } from '../block-chain/page-size.js';

/** struct luo_flb_header_ser and struct luo_flb_ser, laid out by the registry. */
const header = containerStruct('luo-flb', 'luo_flb_header_ser');
const entry = containerStruct('luo-flb', 'luo_flb_ser');
const field = (s: typeof header, name: string) => s.fields.find((f) => f.name === name)!;
const pgcntField = field(header, 'pgcnt');
const headerCount = field(header, 'count');
const nameField = field(entry, 'name');
const dataField = field(entry, 'data');
const entryCount = field(entry, 'count');

/** LUO_FLB_PGCNT: the table is one page. */
export const LUO_FLB_PGCNT = 1n;

/** One struct luo_flb_ser. */
export interface FlbEntry {
  readonly index: number;
  /** The compat string, up to its NUL (all 48 bytes when there is none). */
  readonly name: string;
  /** Whether the name has its NUL terminator. */
  readonly terminated: boolean;
  /** Physical address of the FLB object. */
  readonly data: bigint;
  /** Preserved files that depend on this FLB. */
  readonly count: bigint;
}

/** A decoded LUO FLB table. */
export interface FlbTable {
  readonly address: bigint;
  readonly pageSize: number;
  readonly pgcnt: bigint;
  readonly count: bigint;
  /** LUO_FLB_MAX: (PAGE_SIZE - 16) / 64. */
  readonly capacity: number;
  /** The entries read: min(count, capacity) of them. */
  readonly entries: readonly FlbEntry[];
  /** FLB_TABLE_INVALID findings, at byte offsets in the table page. */
  readonly findings: readonly Finding[];
}

/** LUO_FLB_MAX for a page size. */
export function flbCapacity(pageSize: number): number {
  return Math.floor((pageSize - header.size) / entry.size);
}

/**
 * Read the FLB table page at `address` and check it as linux-mm's luo_flb.c does
 * (pgcnt == 1, count <= LUO_FLB_MAX) plus NUL-terminated names. A table outside every
 * memory image is a UsageError; a bad table is findings.
 */
export function readFlbTable(memory: PhysicalMemory, address: bigint, pageSize = DEFAULT_PAGE_SIZE): FlbTable {
  const page = memory.read(address, pageSize);
  if (!page) throw new UsageError(`the FLB table page at 0x${address.toString(16)} (${pageSize} bytes) is not in the memory images`);
  const pgcnt = BigInt(readInt(page, pgcntField.offset, pgcntField));
  const count = BigInt(readInt(page, headerCount.offset, headerCount));
  const capacity = flbCapacity(pageSize);
  const findings: Finding[] = [];
  const bad = (offset: number, message: string, index?: number) =>
    findings.push({ rule: 'FLB_TABLE_INVALID', severity: 'error', message, offset, ...(index !== undefined ? { index } : {}) });
  if (pgcnt !== LUO_FLB_PGCNT) bad(pgcntField.offset, `luo_flb_header_ser.pgcnt = ${pgcnt}, the table is ${LUO_FLB_PGCNT} page`);
  if (count > BigInt(capacity)) bad(headerCount.offset, `luo_flb_header_ser.count = ${count}, a ${pageSize}-byte table holds at most ${capacity} entries (LUO_FLB_MAX)`);
  const n = Number(count > BigInt(capacity) ? BigInt(capacity) : count);
  const entries: FlbEntry[] = [];
  for (let i = 0; i < n; i++) {
    const at = header.size + i * entry.size;
    const raw = page.subarray(at + nameField.offset, at + nameField.offset + nameField.size);
    const nul = raw.indexOf(0);
    if (nul < 0) bad(at + nameField.offset, `luo_flb_ser[${i}].name has no NUL in its ${nameField.size} bytes`, i);
    entries.push({
      index: i,
      name: Buffer.from(raw.subarray(0, nul < 0 ? raw.length : nul)).toString('latin1'),
      terminated: nul >= 0,
      data: BigInt(readInt(page, at + dataField.offset, dataField)),
      count: BigInt(readInt(page, at + entryCount.offset, entryCount)),
    });
  }
  return { address, pageSize, pgcnt, count, capacity, entries, findings };
}
