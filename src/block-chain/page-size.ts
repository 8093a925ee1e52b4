import { UsageError } from '../errors.js';
import { containerStruct } from '../registry.js';

/** Page sizes a KHO block can have (PAGE_SIZE of x86-64 and arm64 kernels): the one place that knows them. */
export const PAGE_SIZES = [4096, 16384, 65536] as const;

/** PAGE_SIZE when none is given: x86-64's, and arm64's default. */
export const DEFAULT_PAGE_SIZE: number = PAGE_SIZES[0];

/** The kernel's limit on blocks in one chain. */
export const MAX_BLOCKS = 10000;

/** struct kho_block_header_ser, laid out by the registry. */
export const blockHeader = containerStruct('kho-block', 'kho_block_header_ser');

/** Refuse a page size no kernel uses. */
export function checkPageSize(pageSize: number): number {
  if (!(PAGE_SIZES as readonly number[]).includes(pageSize)) {
    throw new UsageError(`page size ${pageSize} is not one of ${PAGE_SIZES.join(', ')}`);
  }
  return pageSize;
}

/** Entries that fit in one block after its header: (PAGE_SIZE - 16) / entry size. */
export function entriesPerBlock(pageSize: number, entrySize: number): number {
  return Math.floor((pageSize - blockHeader.size) / entrySize);
}

/**
 * `; --page-size N holds it` when `entries` do not fit in `blocks` blocks of `pageSize` but do
 * in blocks of a larger page (a 64 KiB-page kernel's chain read with the 4 KiB default), else ''.
 */
export function pageSizeHint(entries: number | bigint, blocks: number, pageSize: number, entrySize: number): string {
  const fits = PAGE_SIZES.find((p) => p > pageSize && BigInt(entries) <= BigInt(blocks * entriesPerBlock(p, entrySize)));
  return fits === undefined ? '' : `; a ${fits}-byte page holds ${blocks === 1 ? '' : `${blocks} × `}${entriesPerBlock(fits, entrySize)}: --page-size ${fits} if the kernel that wrote it had ${fits / 1024} KiB pages`;
}
