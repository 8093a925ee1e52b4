import type { RuleId } from '../findings.js';
import { NONE, type Issue, type RuleContext } from './rule.js';

/** The walker's findings of one BLOCK_* rule: at the physical address of the block header (its offset while exact). */
export function chainIssues(ctx: RuleContext, rule: RuleId): readonly Issue[] {
  const found = ctx.chain?.findings.filter((f) => f.rule === rule);
  return found?.length ? found : NONE;
}
