import { NONE, type Rule } from '../rule.js';

/** DEVICES_NULL: a block-chain root with nr_devices > 0 points at its first block. */
export const devicesNull: Rule = {
  id: 'DEVICES_NULL',
  severity: 'error',
  doc: 'Block layouts: devices (first KHO block) is non-zero when nr_devices > 0.',
  appliesTo: (abi) => abi.storage === 'block-chain',
  check(ctx) {
    const { nr, head } = ctx;
    if (nr === undefined || Number(nr) === 0 || Number(head) !== 0) return NONE;
    const field = ctx.abi.roles.devices;
    return [{ offset: field.offset, length: field.size, message: `devices = 0 while nr_devices = ${nr}: the entries are nowhere` }];
  },
};
