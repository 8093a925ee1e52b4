import { NONE, type Rule } from '../rule.js';

/** NR_MISMATCH: slot layouts keep nr_devices equal to the number of slots in use. */
export const nrMismatch: Rule = {
  id: 'NR_MISMATCH',
  severity: 'error',
  doc: 'Slot layouts: nr_devices equals the number of entries with refcount != 0.',
  appliesTo: (abi) => abi.semantics === 'slots' || abi.semantics === 'slots-hier',
  scan: { over: 'in-use', counts: 'true' },
  check(ctx, inUse) {
    const { nr } = ctx;
    if (inUse === undefined || nr === undefined || Number(nr) === inUse) return NONE;
    const { offset, size } = ctx.abi.roles.nr;
    return [{ offset, length: size, message: `nr_devices = ${nr}, but ${inUse} slot${inUse === 1 ? ' is' : 's are'} in use (refcount != 0)` }];
  },
};
