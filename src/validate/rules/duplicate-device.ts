import { formatAddress } from '../../pci-address.js';
import type { CheckContext } from '../context.js';
import { countRepeats, keysOf, repeatedKeyPairs } from '../duplicates.js';
import { NONE, type Issue, type Rule } from '../rule.js';

/** DUPLICATE_DEVICE: two in-use entries with the same (domain, bdf). */
export const duplicateDevice: Rule = {
  id: 'DUPLICATE_DEVICE',
  severity: 'error',
  doc: 'No two in-use entries have the same (domain, bdf).',
  appliesTo: (abi) => abi.semantics !== 'skeleton',
  check(ctx) {
    const facts = ctx.entries;
    if (!facts || facts.inUse < 2 || facts.repeats === 0) return NONE;
    const devices = ctx.decoded.devices!;
    const keys = keysOf(devices.column('domain'), devices.column('bdf'));
    // The scan gives up counting past 1024 domains; sorting the keys settles it.
    return facts.repeats === undefined && countRepeats(keys) === 0 ? NONE : duplicates(ctx, keys);
  },
};

function* duplicates(ctx: CheckContext, keys: Float64Array): Iterable<Issue> {
  const devices = ctx.decoded.devices!;
  for (const { at, first } of repeatedKeyPairs(keys)) {
    const index = devices.indexAt(at);
    const key = keys[at]!;
    yield {
      offset: ctx.slotOffset(index),
      length: ctx.abi.entry.size,
      index,
      message: `devices[${index}] ${formatAddress(Math.floor(key / 65536), key % 65536)} repeats devices[${devices.indexAt(first)}]`,
    };
  }
}
