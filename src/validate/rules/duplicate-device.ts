import { formatAddress } from '../../pci-address.js';
import { keysOf, repeatedKeyPairs } from '../duplicates.js';
import { NONE, type Issue, type Rule, type RuleContext } from '../rule.js';

/** DUPLICATE_DEVICE: two in-use entries with the same (domain, bdf). */
export const duplicateDevice: Rule = {
  id: 'DUPLICATE_DEVICE',
  severity: 'error',
  doc: 'No two in-use entries have the same (domain, bdf).',
  appliesTo: (abi) => abi.semantics !== 'skeleton',
  // Entries that may repeat an earlier one: in a small blob, any key not above the previous
  // one (ascending keys cannot repeat); in a large one, a key the bitsets have seen, or any
  // key once they gave up (past 1024 domains). None: no duplicate; some: the check settles it.
  scan: { over: 'in-use', counts: 'bitsets ? bitsets.add(domain, bdf) || bitsets.overflow : key <= prev' },
  check: (ctx, suspects) => (suspects ? duplicates(ctx) : NONE),
};

function* duplicates(ctx: RuleContext): Iterable<Issue> {
  const devices = ctx.decoded.devices!;
  const keys = keysOf(ctx.columns.domain, ctx.columns.bdf);
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
