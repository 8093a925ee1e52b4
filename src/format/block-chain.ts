import type { BlockChain } from '../block-chain/walk-chain.js';

const SHOWN = 8;

/** `decode` text lines for a KHO block chain: its blocks with their counts, the first few by address. */
export function chainLines(chain: BlockChain): string[] {
  const { blocks } = chain;
  const head = `KHO block chain: ${blocks.length} block${blocks.length === 1 ? '' : 's'} of ${chain.pageSize} bytes (${chain.entriesPerBlock} entries each), ${chain.stored} entries stored`;
  const shown = blocks.slice(0, SHOWN).map((b, k) => `  block ${k} @ 0x${b.address.toString(16)}: count ${b.count}, entries [${b.firstIndex}..${b.firstIndex + b.stored})`);
  if (blocks.length > SHOWN) shown.push(`  … ${blocks.length - SHOWN} more`);
  return [head, ...shown];
}
