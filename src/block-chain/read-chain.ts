import { BlobError } from '../errors.js';
import type { PhysicalMemory } from '../memory/memory-image.js';
import type { PciAbi } from '../registry.js';
import { checkPageSize, DEFAULT_PAGE_SIZE } from './page-size.js';
import { walkBlockChain, type BlockChain } from './walk-chain.js';

/**
 * Read the block chain a pci_ser points at, as the kernel's restore does: the first
 * error (cycle, too long, bad count, unaligned or unresolved block) is a BlobError at
 * the offset of pci_ser.devices. Warnings (BLOCK_NOT_DENSE) stay in `findings`.
 */
export function readBlockChain(memory: PhysicalMemory, head: bigint, layout: PciAbi, pageSize = DEFAULT_PAGE_SIZE): BlockChain {
  return acceptedChain(walkBlockChain(memory, head, { pageSize: checkPageSize(pageSize), entrySize: layout.entry.size }), layout);
}

/** The chain itself when the kernel's restore accepts it; its first error as a BlobError otherwise. */
export function acceptedChain(chain: BlockChain, layout: PciAbi): BlockChain {
  const bad = chain.findings.find((f) => f.severity === 'error');
  if (bad) throw new BlobError(bad.rule, layout.roles.devices.offset, bad.message);
  return chain;
}
