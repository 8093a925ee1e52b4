import { chainIssues } from '../chain-issues.js';
import type { Rule } from '../rule.js';

/** BLOCK_MISALIGNED: every block address is page aligned. */
export const blockMisaligned: Rule = {
  id: 'BLOCK_MISALIGNED',
  severity: 'error',
  doc: 'Block layouts: every block address is page aligned.',
  appliesTo: (abi) => abi.storage === 'block-chain',
  check: (ctx) => chainIssues(ctx, 'BLOCK_MISALIGNED'),
};
