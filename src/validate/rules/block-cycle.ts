import { chainIssues } from '../chain-issues.js';
import type { Rule } from '../rule.js';

/** BLOCK_CYCLE: the next chain never revisits a block. */
export const blockCycle: Rule = {
  id: 'BLOCK_CYCLE',
  severity: 'error',
  doc: 'Block layouts: the next chain never revisits a block.',
  appliesTo: (abi) => abi.storage === 'block-chain',
  check: (ctx) => chainIssues(ctx, 'BLOCK_CYCLE'),
};
