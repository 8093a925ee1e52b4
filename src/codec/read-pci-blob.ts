import type { FieldLayout } from '../layout/engine.js';
import { readInt } from '../layout/field-io.js';
import { claimedSlots } from './slots.js';
import type { PciAbi } from '../registry.js';
import type { PhysicalMemory } from '../memory/memory-image.js';
import { DEFAULT_PAGE_SIZE } from '../block-chain/page-size.js';

/** The most bytes read for one inline blob: the kernel allocates at most 4 MiB (MAX_PAGE_ORDER). */
export const MAX_BLOB_IN_MEMORY = 4 << 20;

/**
 * The bytes of a pci_ser blob that starts at a physical address: the root alone for
 * block layouts; the root and every slot it accounts for (up to 4 MiB, as far as
 * memory resolves) for inline layouts. Null when the root itself is not in memory.
 */
export function readPciBlob(memory: PhysicalMemory, address: bigint, layout: PciAbi): Uint8Array | null {
  const root = memory.read(address, layout.root.size);
  if (!root || layout.storage !== 'inline') return root;
  const read = (f: FieldLayout) => readInt(root, f.offset, f);
  const { nr, max } = layout.roles;
  const claimed = BigInt(claimedSlots(layout, read(nr), max ? read(max) : undefined).count);
  const want = BigInt(layout.roles.devices.offset) + claimed * BigInt(layout.entry.size);
  let size = Number(want < BigInt(MAX_BLOB_IN_MEMORY) ? want : BigInt(MAX_BLOB_IN_MEMORY));
  while (size > layout.root.size && !memory.resolves(address, size)) size = Math.max(layout.root.size, size - DEFAULT_PAGE_SIZE);
  return memory.read(address, size);
}
