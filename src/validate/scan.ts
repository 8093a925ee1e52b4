import type { PciAbi } from '../registry.js';
import type { RootValue } from './context.js';
import { DomainBitsets, countRepeats } from './duplicates.js';

/** Blobs with fewer slots settle repeats by sorting their keys instead of using bitsets. */
const SMALL = 4096;

/** What one pass over the slots of an inline blob found; the rules report from these counts. */
export interface EntryFacts {
  /** In-use entries (sorted: index < nr_devices; slots: refcount != 0; skeleton: none). */
  readonly inUse: number;
  /** In-use entries whose key (domain << 16 | bdf) is below the previous in-use key. */
  readonly descents: number;
  /** In-use entries whose key an earlier in-use entry has; undefined past 1024 domains (DUPLICATE_DEVICE then sorts). */
  readonly repeats: number | undefined;
  /** In-use entries whose refcount is not 1. */
  readonly refcountNotOne: number;
  /** The largest in-use refcount (0 without a refcount field or in-use entries). */
  readonly maxRefcount: number;
  /** In-use entries with a non-zero reserved / padding field. */
  readonly reservedNonZero: number;
  /** Slots that are not in use yet hold a non-zero byte. */
  readonly freeNonZero: number;
}

/** Offsets and sizes the scan reads, per layout (0 size: the layout has no such field). */
interface Plan {
  readonly base: number;
  readonly stride: number;
  readonly le: boolean;
  readonly bySlot: boolean;
  readonly sorted: boolean;
  readonly dOff: number;
  readonly dSize: number;
  readonly bOff: number;
  readonly bSize: number;
  readonly rOff: number;
  readonly rSize: number;
  readonly zOff: number;
  readonly zSize: number;
}

const plans = new Map<string, Plan>();
/** Plans for the entries of a KHO block chain, copied back to back from offset 0. */
const chainPlans = new Map<string, Plan>();

function planOf(abi: PciAbi, chained: boolean): Plan {
  const cache = chained ? chainPlans : plans;
  let plan = cache.get(abi.id);
  if (plan) return plan;
  const { domain, bdf, refcount, reserved, devices } = abi.roles;
  plan = {
    base: chained ? 0 : devices.offset,
    stride: abi.entry.size,
    le: !domain.bigEndian,
    bySlot: abi.semantics === 'slots' || abi.semantics === 'slots-hier',
    sorted: abi.semantics === 'sorted',
    dOff: domain.offset,
    dSize: domain.size,
    bOff: bdf.offset,
    bSize: bdf.size,
    rOff: refcount?.offset ?? 0,
    rSize: refcount?.size ?? 0,
    zOff: reserved?.offset ?? 0,
    zSize: reserved?.size ?? 0,
  };
  cache.set(abi.id, plan);
  return plan;
}

/** Whether bytes [at, at + size) are all zero. */
export function isZero(bytes: Uint8Array, at: number, size: number): boolean {
  for (let i = at; i < at + size; i++) if (bytes[i] !== 0) return false;
  return true;
}

/**
 * An unsigned integer of 0 to 4 bytes (0 bytes reads as 0), composed from the
 * bytes: no DataView to allocate, which is most of the cost on small blobs.
 */
export function readUint(bytes: Uint8Array, at: number, size: number, le: boolean): number {
  return le ? readLe(bytes, at, size) : readBe(bytes, at, size);
}

function readLe(b: Uint8Array, at: number, size: number): number {
  if (size === 2) return b[at]! | (b[at + 1]! << 8);
  if (size === 4) return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
  return size === 1 ? b[at]! : 0;
}

function readBe(b: Uint8Array, at: number, size: number): number {
  let v = 0;
  for (let i = 0; i < size; i++) v = v * 256 + b[at + i]!;
  return v;
}

/** Count, in one pass over the slots, everything the entry rules need to know; `chained`: bytes are a block chain's entries. */
export function scanEntries(abi: PciAbi, bytes: Uint8Array, nr: RootValue, slots: number, chained = false): EntryFacts {
  const p = planOf(abi, chained);
  const sortedEnd = p.sorted ? Number(nr) : 0;
  const bitsets = slots < SMALL ? undefined : new DomainBitsets();
  const c = scannerOf(p)(bytes, slots, sortedEnd, bitsets);
  // Keys that never descend can only repeat next to each other; small blobs that do descend sort their keys.
  const repeats = bitsets ? (bitsets.overflow ? undefined : c.repeats) : c.descents ? countRepeats(collectKeys(bytes, p, sortedEnd, slots, c.inUse)) : c.adjacent;
  return { inUse: c.inUse, descents: c.descents, repeats, refcountNotOne: c.refcountNotOne, maxRefcount: c.maxRefcount, reservedNonZero: c.reservedNonZero, freeNonZero: c.freeNonZero };
}

interface Counts {
  inUse: number; descents: number; adjacent: number; repeats: number;
  refcountNotOne: number; maxRefcount: number; reservedNonZero: number; freeNonZero: number;
}
type Scanner = (bytes: Uint8Array, slots: number, sortedEnd: number, bitsets: DomainBitsets | undefined) => Counts;
const scanners = new WeakMap<Plan, Scanner>();

/** JS for an unsigned field read at `at + off` (little- or big-endian, 0 to 4 bytes). */
function readExpr(off: number, size: number, le: boolean): string {
  if (size === 0) return '0';
  const parts = [];
  for (let i = 0; i < size; i++) parts.push(`(bytes[at + ${off + i}] ${le ? `<< ${8 * i}` : `<< ${8 * (size - 1 - i)}`})`);
  return `((${parts.join(' | ')}) >>> 0)`;
}

/**
 * The scan loop compiled for one layout, with its offsets and sizes as constants
 * (as binary-parser does): this is what makes validating a 16-entry blob cheaper
 * than decoding it. Only numbers from the registry go into the source.
 */
function scannerOf(p: Plan): Scanner {
  let scan = scanners.get(p);
  if (scan) return scan;
  const used = p.bySlot ? 'ref !== 0' : 'i < sortedEnd';
  const body = `
    let inUse = 0, descents = 0, adjacent = 0, repeats = 0, refcountNotOne = 0, maxRefcount = 0, reservedNonZero = 0, freeNonZero = 0;
    let prev = -1;
    for (let i = 0, at = ${p.base}; i < slots; i++, at += ${p.stride}) {
      const ref = ${readExpr(p.rOff, p.rSize, p.le)};
      if (!(${used})) {
        for (let z = at; z < at + ${p.stride}; z++) if (bytes[z] !== 0) { freeNonZero++; break; }
        continue;
      }
      const d = ${readExpr(p.dOff, p.dSize, p.le)};
      const b = ${readExpr(p.bOff, p.bSize, p.le)};
      const key = d * 65536 + b;
      if (key < prev) descents++;
      else if (key === prev) adjacent++;
      prev = key;
      if (bitsets !== undefined && bitsets.add(d, b)) repeats++;
      inUse++;
      ${p.rSize ? 'if (ref !== 1) refcountNotOne++; if (ref > maxRefcount) maxRefcount = ref;' : ''}
      ${p.zSize ? `if (${readExpr(p.zOff, p.zSize, p.le)} !== 0) reservedNonZero++;` : ''}
    }
    return { inUse, descents, adjacent, repeats, refcountNotOne, maxRefcount, reservedNonZero, freeNonZero };`;
  scan = new Function('bytes', 'slots', 'sortedEnd', 'bitsets', body) as Scanner;
  scanners.set(p, scan);
  return scan;
}

function collectKeys(bytes: Uint8Array, p: Plan, sortedEnd: number, slots: number, inUse: number): Float64Array {
  const keys = new Float64Array(inUse);
  let n = 0;
  for (let i = 0, at = p.base; i < slots; i++, at += p.stride) {
    if (p.bySlot ? readUint(bytes, at + p.rOff, p.rSize, p.le) === 0 : i >= sortedEnd) continue;
    keys[n++] = readUint(bytes, at + p.dOff, p.dSize, p.le) * 65536 + readUint(bytes, at + p.bOff, p.bSize, p.le);
  }
  return keys;
}
