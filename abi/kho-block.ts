import { defineContainer, struct, u64, phys } from '../src/schema/define.js';

/** include/linux/kho/abi/block.h: the page-sized KHO serialization block. */
export default defineContainer({
  id: 'kho-block',
  compatible: 'block-v1',
  header: 'include/linux/kho/abi/block.h',
  summary: 'KHO serialization block: one page, header then entries; next = PA of the next header, 0 ends the chain; at most 10000 blocks',
  provenance: [
    { repo: 'torvalds/linux', commit: '637315cb400eed1dbe721954fea437a61a2d65b2', note: 'block.h and kernel/liveupdate/kho_block.c; no compat macro' },
    { repo: 'linux-mm/linux-mm', commit: '8c8e79304b06b64039986b38c916b675d2ca7693', note: 'KHO_BLOCK_COMPATIBLE "block-v1"' },
    { repo: 'kernelorg-mirror/linux_kernel_git_tatashin_linux', commit: 'b2aaed0c264f13561cbaa0c5904414f95e21e239', note: 'KHO_BLOCK_ABI_COMPATIBLE "kho-block-v1"' },
  ],
  structs: [
    struct('kho_block_header_ser', { packed: true }, [
      phys('next', 'physical address of the next block header, 0 for the last block'),
      u64('count', 'number of entries stored in this block'),
    ]),
  ],
});
