import { blockHeader, DEFAULT_PAGE_SIZE as PAGE, entriesPerBlock, MAX_BLOCKS } from '../block-chain/page-size.js';
import { encode } from '../codec/encode.js';
import { writeStruct } from '../layout/field-io.js';
import { elfCoreDataStart, writeElfCoreHeaders, type LoadHeader } from '../memory/write-elf-core.js';
import type { PciAbi } from '../registry.js';

const ROOT_PA = 0x100000n;
const FIRST_BLOCK_PA = 0x200000n;

/**
 * An ELF64 core holding a chain of MAX_BLOCKS + 1 full blocks in under 1 MiB: block k is
 * its own PT_LOAD at FIRST_BLOCK_PA + k pages, and the segments overlap in the file, each
 * starting 16 bytes (one kho_block_header_ser) after the previous one. Every block's
 * entries are the headers of the blocks after it, which nobody reads: the chain is refused.
 */
export function longChainImage(abi: PciAbi, blocks = MAX_BLOCKS + 1): { bytes: Uint8Array; rootAddress: bigint; pageSize: number } {
  const perBlock = entriesPerBlock(PAGE, abi.entry.size);
  const root: Record<string, unknown> = { nr_devices: 1, [abi.roles.devices.name]: FIRST_BLOCK_PA };
  if (abi.roles.version) root[abi.roles.version.name] = abi.version;
  const rootBytes = encode({ root }, abi.id);
  const rootOffset = elfCoreDataStart(blocks + 1);
  const chainOffset = rootOffset + PAGE;
  const out = new Uint8Array(chainOffset + blocks * blockHeader.size + PAGE);
  const loads: LoadHeader[] = [{ paddr: ROOT_PA, offset: rootOffset, size: PAGE }];
  out.set(rootBytes, rootOffset);
  for (let k = 0; k < blocks; k++) {
    const pa = FIRST_BLOCK_PA + BigInt(k * PAGE);
    const at = chainOffset + k * blockHeader.size;
    loads.push({ paddr: pa, offset: at, size: PAGE });
    writeStruct(out, at, blockHeader, { next: k + 1 < blocks ? pa + BigInt(PAGE) : 0n, count: perBlock });
  }
  writeElfCoreHeaders(out, loads);
  return { bytes: out, rootAddress: ROOT_PA, pageSize: PAGE };
}
