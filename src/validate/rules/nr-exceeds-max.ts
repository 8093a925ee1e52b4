import { NONE, type Rule } from '../rule.js';

/** NR_EXCEEDS_MAX: nr_devices > max_nr_devices. */
export const nrExceedsMax: Rule = {
  id: 'NR_EXCEEDS_MAX',
  severity: 'error',
  doc: 'nr_devices is at most max_nr_devices.',
  appliesTo: (abi) => abi.roles.max !== undefined,
  check(ctx) {
    const { nr, max } = ctx;
    if (nr === undefined || max === undefined || nr <= max) return NONE;
    const field = ctx.abi.roles.nr;
    return [{ offset: field.offset, length: field.size, message: `nr_devices = ${nr} exceeds max_nr_devices = ${max}` }];
  },
};
