import { chainIssues } from '../chain-issues.js';
import type { RuleContext } from '../rule.js';
import { NONE, type Issue, type Rule } from '../rule.js';

/** BLOCK_MISALIGNED: every block address is page aligned; without a memory image, the first one (pci_ser.devices). */
export const blockMisaligned: Rule = {
  id: 'BLOCK_MISALIGNED',
  severity: 'error',
  doc: 'Block layouts: every block address is page aligned.',
  appliesTo: (abi) => abi.storage === 'block-chain',
  check: (ctx) => (ctx.chain ? chainIssues(ctx, 'BLOCK_MISALIGNED') : headMisaligned(ctx)),
};

function headMisaligned(ctx: RuleContext): readonly Issue[] {
  const head = ctx.head === undefined ? 0n : BigInt(ctx.head);
  const page = ctx.options.pageSize ?? 4096;
  if (head === 0n || head % BigInt(page) === 0n) return NONE;
  const field = ctx.abi.roles.devices;
  return [{ offset: field.offset, length: field.size, message: `devices = 0x${head.toString(16)} is not aligned to the ${page}-byte page a KHO block starts on` }];
}
