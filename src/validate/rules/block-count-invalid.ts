import { chainIssues } from '../chain-issues.js';
import type { Rule } from '../rule.js';

/** BLOCK_COUNT_INVALID: every block count is 1..(PAGE_SIZE - 16) / entry size. */
export const blockCountInvalid: Rule = {
  id: 'BLOCK_COUNT_INVALID',
  severity: 'error',
  doc: 'Block layouts: every block count is 1..(PAGE_SIZE - 16) / entry size.',
  appliesTo: (abi) => abi.storage === 'block-chain',
  check: (ctx) => chainIssues(ctx, 'BLOCK_COUNT_INVALID'),
};
