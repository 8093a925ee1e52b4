import type { Column } from '../codec/device-list.js';

/** Per-domain bitsets (8 KiB each) are kept up to this many distinct domains. */
const MAX_DOMAINS = 1024;
const TABLE_BITS = 11;
const TABLE_SIZE = 1 << TABLE_BITS;

/**
 * A set of (domain, bdf) keys as one 65536-bit set per domain, reached through a
 * small open-addressing table: O(1) per key, cache-friendly in any order.
 */
export class DomainBitsets {
  private readonly domains = new Float64Array(TABLE_SIZE).fill(-1);
  private readonly sets: Int32Array[] = new Array<Int32Array>(TABLE_SIZE);
  private distinct = 0;
  private lastDomain = -1;
  private last: Int32Array | undefined;
  /** Set once more than MAX_DOMAINS domains were seen; the set then stops answering. */
  overflow = false;

  /** Add a key; true when it was already there. */
  add(domain: number, bdf: number): boolean {
    if (domain !== this.lastDomain) {
      const set = this.setOf(domain);
      if (!set) return false;
      this.last = set;
      this.lastDomain = domain;
    }
    const set = this.last!;
    const word = set[bdf >>> 5]!;
    const bit = 1 << (bdf & 31);
    if (word & bit) return true;
    set[bdf >>> 5] = word | bit;
    return false;
  }

  private setOf(domain: number): Int32Array | undefined {
    let s = Math.imul(domain, 0x9e3779b1) >>> (32 - TABLE_BITS);
    while (this.domains[s] !== domain && this.domains[s] !== -1) s = (s + 1) & (TABLE_SIZE - 1);
    if (this.domains[s] === -1) {
      if (++this.distinct > MAX_DOMAINS) {
        this.overflow = true;
        return undefined;
      }
      this.domains[s] = domain;
      this.sets[s] = new Int32Array(2048);
    }
    return this.sets[s];
  }
}

/** The 48-bit keys domain << 16 | bdf of two columns (exact in a double). */
export function keysOf(domain: Column, bdf: Column): Float64Array {
  const keys = new Float64Array(domain.length);
  for (let i = 0; i < keys.length; i++) keys[i] = domain[i]! * 65536 + bdf[i]!;
  return keys;
}

/** Each key (by position) that repeats an earlier one, with the position of the first holder. */
export function repeatedKeyPairs(keys: Float64Array): Array<{ at: number; first: number }> {
  const seen = new Map<number, number>();
  const pairs: Array<{ at: number; first: number }> = [];
  for (let i = 0; i < keys.length; i++) {
    const first = seen.get(keys[i]!);
    if (first === undefined) seen.set(keys[i]!, i);
    else pairs.push({ at: i, first });
  }
  return pairs;
}
