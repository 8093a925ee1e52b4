import { NONE, type Rule } from '../rule.js';

/** CHAIN_NOT_CHECKED: a block-layout root read without a memory image; its chain was not walked. */
export const chainNotChecked: Rule = {
  id: 'CHAIN_NOT_CHECKED',
  severity: 'warning',
  doc: 'Block layouts: the KHO block chain was walked (a memory image was given), so the block and entry rules were checked.',
  appliesTo: (abi) => abi.storage === 'block-chain',
  check(ctx) {
    const { head } = ctx;
    if (ctx.options.memory || head === undefined || BigInt(head) === 0n) return NONE;
    const field = ctx.abi.roles.devices;
    return [{ offset: field.offset, length: field.size, message: `devices = 0x${head.toString(16)}: the KHO block chain was not walked (no memory image), so only the root was checked` }];
  },
};
