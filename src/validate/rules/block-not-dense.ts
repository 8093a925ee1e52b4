import { chainIssues } from '../chain-issues.js';
import type { Rule } from '../rule.js';

/** BLOCK_NOT_DENSE: every block but the last is full, as the kernel writer leaves them. */
export const blockNotDense: Rule = {
  id: 'BLOCK_NOT_DENSE',
  severity: 'warning',
  doc: 'Block layouts: every block but the last is full, as the kernel writer leaves them.',
  appliesTo: (abi) => abi.storage === 'block-chain',
  check: (ctx) => chainIssues(ctx, 'BLOCK_NOT_DENSE'),
};
