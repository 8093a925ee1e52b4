import type { PciAbi } from '../registry.js';

/** The entry slots a flat root accounts for, and the root field that says so. */
export interface ClaimedSlots {
  readonly count: bigint;
  readonly by: 'nr_devices' | 'max_nr_devices';
}

/**
 * Slots devices[0..count) a flat blob's root accounts for: nr_devices for sorted
 * layouts (max_nr_devices when that is larger), max_nr_devices for slot layouts and
 * the skeleton. One rule for decode, encode and validate.
 */
export function claimedSlots(layout: PciAbi, nr: bigint | number, max: bigint | number | undefined): ClaimedSlots {
  if (layout.semantics !== 'sorted' || (max !== undefined && max >= nr)) {
    return { count: BigInt(max ?? nr), by: max === undefined ? 'nr_devices' : 'max_nr_devices' };
  }
  return { count: BigInt(nr), by: 'nr_devices' };
}
