import { blockHeader, entriesPerBlock, MAX_BLOCKS } from '../block-chain/page-size.js';
import { encode } from '../codec/encode.js';
import type { PciAbi } from '../registry.js';

const EHDR_SIZE = 64;
const PHDR_SIZE = 56;
const PAGE = 4096;
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
  const phnum = blocks + 1;
  const rootOffset = Math.ceil((EHDR_SIZE + phnum * PHDR_SIZE) / PAGE) * PAGE;
  const chainOffset = rootOffset + PAGE;
  const out = new Uint8Array(chainOffset + blocks * blockHeader.size + PAGE);
  const v = new DataView(out.buffer);
  out.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1], 0); // ELFMAG, ELFCLASS64, ELFDATA2LSB, EV_CURRENT
  v.setUint16(16, 4, true); // ET_CORE
  v.setUint16(18, 62, true); // EM_X86_64
  v.setUint32(20, 1, true);
  v.setBigUint64(32, BigInt(EHDR_SIZE), true);
  v.setUint16(52, EHDR_SIZE, true);
  v.setUint16(54, PHDR_SIZE, true);
  v.setUint16(56, phnum, true);
  const load = (i: number, pa: bigint, offset: number) => {
    const at = EHDR_SIZE + i * PHDR_SIZE;
    v.setUint32(at, 1, true); // PT_LOAD
    v.setUint32(at + 4, 6, true);
    v.setBigUint64(at + 8, BigInt(offset), true);
    v.setBigUint64(at + 16, pa, true);
    v.setBigUint64(at + 24, pa, true);
    v.setBigUint64(at + 32, BigInt(PAGE), true);
    v.setBigUint64(at + 40, BigInt(PAGE), true);
  };
  load(0, ROOT_PA, rootOffset);
  out.set(rootBytes, rootOffset);
  const next = blockHeader.fields.find((f) => f.name === 'next')!.offset;
  const count = blockHeader.fields.find((f) => f.name === 'count')!.offset;
  for (let k = 0; k < blocks; k++) {
    const pa = FIRST_BLOCK_PA + BigInt(k * PAGE);
    const at = chainOffset + k * blockHeader.size;
    load(k + 1, pa, at);
    v.setBigUint64(at + next, k + 1 < blocks ? pa + BigInt(PAGE) : 0n, true);
    v.setBigUint64(at + count, BigInt(perBlock), true);
  }
  return { bytes: out, rootAddress: ROOT_PA, pageSize: PAGE };
}
