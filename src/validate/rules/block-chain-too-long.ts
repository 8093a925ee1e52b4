import { chainIssues } from '../chain-issues.js';
import type { Rule } from '../rule.js';

/** BLOCK_CHAIN_TOO_LONG: the chain has at most 10000 blocks. */
export const blockChainTooLong: Rule = {
  id: 'BLOCK_CHAIN_TOO_LONG',
  severity: 'error',
  doc: 'Block layouts: the chain has at most 10000 blocks.',
  appliesTo: (abi) => abi.storage === 'block-chain',
  check: (ctx) => chainIssues(ctx, 'BLOCK_CHAIN_TOO_LONG'),
};
