import { chainIssues } from '../chain-issues.js';
import type { Rule } from '../rule.js';

/** BLOCK_UNRESOLVED: every block of the chain lies in the memory images. */
export const blockUnresolved: Rule = {
  id: 'BLOCK_UNRESOLVED',
  severity: 'error',
  doc: 'Block layouts: every block of the chain lies in the memory images.',
  appliesTo: (abi) => abi.storage === 'block-chain',
  check: (ctx) => chainIssues(ctx, 'BLOCK_UNRESOLVED'),
};
