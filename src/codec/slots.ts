import type { PciAbi } from '../registry.js';

/** The entry slots a flat root accounts for, and the root field that says so. */
export interface ClaimedSlots {
  /** The root field's own value: a number, or a bigint for a u64 past 2^53 (mixed comparisons are exact). */
  readonly count: number | bigint;
  readonly by: 'nr_devices' | 'max_nr_devices';
}

/**
 * Slots devices[0..count) a flat blob's root accounts for: nr_devices for sorted
 * layouts (max_nr_devices when that is larger), max_nr_devices for slot layouts and
 * the skeleton. One rule for decode, encode and validate; no conversion on the hot path.
 */
export function claimedSlots(layout: PciAbi, nr: bigint | number, max: bigint | number | undefined): ClaimedSlots {
  if (max === undefined) return { count: nr, by: 'nr_devices' };
  if (layout.semantics !== 'sorted' || max >= nr) return { count: max, by: 'max_nr_devices' };
  return { count: nr, by: 'nr_devices' };
}
