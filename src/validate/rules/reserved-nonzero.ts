import { NONE, type Issue, type Rule, type RuleContext } from '../rule.js';

/** RESERVED_NONZERO: the reserved / padding field of an in-use entry is written as zero. */
export const reservedNonzero: Rule = {
  id: 'RESERVED_NONZERO',
  severity: 'warning',
  doc: 'The reserved / padding field of every in-use entry is zero.',
  appliesTo: (abi) => abi.roles.reserved !== undefined && abi.semantics !== 'skeleton',
  scan: { over: 'in-use', counts: 'reserved !== 0' },
  check: (ctx, nonZero) => (nonZero ? reserved(ctx) : NONE),
};

function* reserved(ctx: RuleContext): Iterable<Issue> {
  const field = ctx.abi.roles.reserved!;
  const devices = ctx.decoded.devices!;
  const values = ctx.columns[field.name]!;
  for (let i = 0; i < devices.length; i++) {
    if (values[i] === 0) continue;
    const index = devices.indexAt(i);
    yield {
      offset: ctx.slotOffset(index) + field.offset,
      length: field.size,
      index,
      message: `devices[${index}].${field.name} = 0x${values[i]!.toString(16)}; it must be written as 0`,
    };
  }
}
