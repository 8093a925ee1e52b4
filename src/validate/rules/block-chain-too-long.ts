import { MAX_BLOCKS, entriesPerBlock, pageSizeHint } from '../../block-chain/page-size.js';
import { chainIssues } from '../chain-issues.js';
import type { RuleContext } from '../rule.js';
import { NONE, type Issue, type Rule } from '../rule.js';

/** BLOCK_CHAIN_TOO_LONG: the chain has at most 10000 blocks; without a memory image, nr_devices fits in 10000 full blocks. */
export const blockChainTooLong: Rule = {
  id: 'BLOCK_CHAIN_TOO_LONG',
  severity: 'error',
  doc: 'Block layouts: the chain has at most 10000 blocks.',
  appliesTo: (abi) => abi.storage === 'block-chain',
  check: (ctx) => (ctx.chain ? chainIssues(ctx, 'BLOCK_CHAIN_TOO_LONG') : nrBeyondBlocks(ctx)),
};

function nrBeyondBlocks(ctx: RuleContext): readonly Issue[] {
  const nr = ctx.nr === undefined ? 0 : Number(ctx.nr);
  const page = ctx.options.pageSize ?? 4096;
  const most = MAX_BLOCKS * entriesPerBlock(page, ctx.abi.entry.size);
  if (nr <= most) return NONE;
  const { offset, size } = ctx.abi.roles.nr;
  const hint = pageSizeHint(nr, MAX_BLOCKS, page, ctx.abi.entry.size);
  return [{ offset, length: size, message: `nr_devices = ${ctx.nr} needs more than ${MAX_BLOCKS} blocks of ${page} bytes (${most} entries at most)${hint}` }];
}
