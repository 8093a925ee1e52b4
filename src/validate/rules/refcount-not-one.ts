import { formatAddress } from '../../pci-address.js';
import { NONE, type Issue, type Rule, type RuleContext } from '../rule.js';

/**
 * REFCOUNT_NOT_ONE: 0/1 semantics mark an in-use entry with refcount 1.
 * Hierarchical layouts (slots-hier) are not checked: a refcount there counts the
 * preserved devices at or below a bridge, and the blob does not say which entry
 * is a bridge or which bus lies below it. What their bytes do prove (an in-use
 * entry has refcount >= 1) holds by the definition of "in use".
 */
export const refcountNotOne: Rule = {
  id: 'REFCOUNT_NOT_ONE',
  severity: 'error',
  doc: '0/1 refcount semantics: every in-use entry has refcount 1.',
  appliesTo: (abi) => abi.semantics === 'slots',
  scan: { over: 'in-use', counts: 'refcount !== 1' },
  check: (ctx, counted) => (counted ? notOne(ctx) : NONE),
};

function* notOne(ctx: RuleContext): Iterable<Issue> {
  const devices = ctx.decoded.devices!;
  const { domain, bdf } = ctx.columns;
  const refcount = ctx.columns.refcount!;
  const field = ctx.abi.roles.refcount!;
  for (let i = 0; i < devices.length; i++) {
    if (refcount[i] === 1) continue;
    const index = devices.indexAt(i);
    yield {
      offset: ctx.slotOffset(index) + field.offset,
      length: field.size,
      index,
      message: `devices[${index}] ${formatAddress(domain[i]!, bdf[i]!)} has refcount ${refcount[i]}; ${ctx.abi.id} marks an in-use entry with 1`,
    };
  }
}
