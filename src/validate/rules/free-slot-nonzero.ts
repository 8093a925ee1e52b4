import { NONE, type Issue, type Rule, type RuleContext } from '../rule.js';

/** FREE_SLOT_NONZERO: a slot not in use (refcount 0, or index >= nr_devices when sorted) is all-zero. */
export const freeSlotNonzero: Rule = {
  id: 'FREE_SLOT_NONZERO',
  severity: 'warning',
  doc: 'A free slot (refcount 0, or index >= nr_devices in sorted layouts) is all-zero.',
  appliesTo: (abi) => abi.semantics !== 'skeleton',
  scan: { over: 'free', counts: 'nonZero' },
  check: (ctx, stale) => (stale ? staleSlots(ctx) : NONE),
};

function* staleSlots(ctx: RuleContext): Iterable<Issue> {
  const devices = ctx.decoded.devices!;
  const used = new Uint8Array(ctx.slots);
  for (let i = 0; i < devices.length; i++) used[devices.indexAt(i)] = 1;
  const why = ctx.abi.semantics === 'sorted' ? 'past nr_devices' : 'free (refcount 0)';
  const size = ctx.abi.entry.size;
  for (let i = 0; i < ctx.slots; i++) {
    if (used[i] || ctx.slotIsZero(i)) continue;
    yield { offset: ctx.slotOffset(i), length: size, index: i, message: `devices[${i}] is ${why} but holds non-zero bytes (stale entry?)` };
  }
}
