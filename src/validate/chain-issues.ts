import type { ChainFinding } from '../block-chain/walk-chain.js';
import { blockHeader } from '../block-chain/page-size.js';
import type { CheckContext } from './context.js';
import { NONE, type Issue } from './rule.js';

/** The walker's findings of one BLOCK_* rule, as issues at the physical address of the block header. */
export function chainIssues(ctx: CheckContext, rule: ChainFinding['rule']): readonly Issue[] {
  const found = ctx.chain?.findings.filter((f) => f.rule === rule);
  if (!found?.length) return NONE;
  return found.map((f) => ({ offset: Number(f.address), length: blockHeader.size, message: f.message }));
}
