import { formatAddress } from '../../pci-address.js';
import { NONE, type Issue, type Rule, type RuleContext } from '../rule.js';

/** ENTRIES_UNSORTED: sorted layouts need devices[0..nr) strictly ascending by domain << 16 | bdf. */
export const entriesUnsorted: Rule = {
  id: 'ENTRIES_UNSORTED',
  severity: 'error',
  doc: 'Sorted layouts: devices[0..nr_devices) strictly ascending by domain << 16 | bdf (the reader bsearches).',
  appliesTo: (abi) => abi.semantics === 'sorted',
  scan: { over: 'in-use', counts: 'key < prev' },
  check: (ctx, descending) => (descending ? descents(ctx) : NONE),
};

function* descents(ctx: RuleContext): Iterable<Issue> {
  const devices = ctx.decoded.devices!;
  const { domain, bdf } = ctx.columns;
  for (let i = 1; i < devices.length; i++) {
    if (domain[i]! * 65536 + bdf[i]! >= domain[i - 1]! * 65536 + bdf[i - 1]!) continue;
    const index = devices.indexAt(i);
    yield {
      offset: ctx.slotOffset(index),
      length: ctx.abi.entry.size,
      index,
      message:
        `devices[${index}] ${formatAddress(domain[i]!, bdf[i]!)} sorts before devices[${devices.indexAt(i - 1)}] ` +
        `${formatAddress(domain[i - 1]!, bdf[i - 1]!)}; a bsearch over the array can miss entries`,
    };
  }
}
