import { NONE, type Issue, type Rule, type RuleContext } from '../rule.js';

/** SKELETON_NOT_EMPTY: pci-v1/flat8-max32 writes no device, so nr_devices is 0 and every slot zero. */
export const skeletonNotEmpty: Rule = {
  id: 'SKELETON_NOT_EMPTY',
  severity: 'error',
  doc: 'Skeleton layouts (no device is ever written): nr_devices == 0 and every slot all-zero.',
  appliesTo: (abi) => abi.semantics === 'skeleton',
  scan: { over: 'free', counts: 'nonZero' },
  check(ctx, written) {
    const { nr } = ctx;
    if (nr === undefined || (Number(nr) === 0 && !written)) return NONE;
    return contents(ctx, written ?? 0);
  },
};

function* contents(ctx: RuleContext, written: number): Iterable<Issue> {
  const { nr } = ctx.abi.roles;
  const value = ctx.nr!;
  if (Number(value) !== 0) {
    yield { offset: nr.offset, length: nr.size, message: `nr_devices = ${value}; ${ctx.abi.id} never writes a device` };
  }
  if (!written) return;
  const size = ctx.abi.entry.size;
  for (let i = 0; i < ctx.slots; i++) {
    if (!ctx.slotIsZero(i)) yield { offset: ctx.slotOffset(i), length: size, index: i, message: `devices[${i}] holds non-zero bytes; ${ctx.abi.id} never writes a device` };
  }
}
