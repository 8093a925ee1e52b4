import type { ChainFinding } from '../block-chain/walk-chain.js';
import { blockHeader } from '../block-chain/page-size.js';
import type { CheckContext } from './context.js';
import { NONE, type Issue } from './rule.js';

/**
 * The walker's findings of one BLOCK_* rule, as issues at the physical address of the block
 * header; an address past 2^53 (any u64 can be a `next`) has no exact offset, only its message.
 */
export function chainIssues(ctx: CheckContext, rule: ChainFinding['rule']): readonly Issue[] {
  const found = ctx.chain?.findings.filter((f) => f.rule === rule);
  if (!found?.length) return NONE;
  return found.map((f) =>
    f.address <= BigInt(Number.MAX_SAFE_INTEGER) ? { offset: Number(f.address), length: blockHeader.size, message: f.message } : { message: f.message },
  );
}
