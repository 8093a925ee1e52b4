import { blockChainTooLong } from '../../../src/validate/rules/block-chain-too-long.js';
import { blockMisaligned } from '../../../src/validate/rules/block-misaligned.js';
import { ruleTable } from '../rule-table.js';

// Without a memory image the root alone still decides these: where the first block starts, and how many blocks nr_devices needs.
ruleTable(
  blockMisaligned,
  [
    { name: 'page-aligned first block', abi: 'pci/blk16-v2', blob: { root: { version: 2, nr_devices: 1, devices: 0x1_0000_3000n } } },
    { name: 'no chain', abi: 'pci-v2/blk12', blob: {} },
  ],
  [
    { name: 'devices inside a page', abi: 'pci/blk16-v1', blob: { root: { version: 1, nr_devices: 1, devices: 0x101008 } }, expect: [{ offset: 8, message: /devices = 0x101008 is not aligned to the 4096-byte page/ }] },
    { name: 'random u64 (blk12)', abi: 'pci-v1/blk12', blob: { root: { nr_devices: 7, devices: 0x81e35fa8a45d8c9en } }, expect: [{ offset: 4 }] },
  ],
);

ruleTable(
  blockChainTooLong,
  [
    { name: '10000 full blocks: 5,100,000 entries', abi: 'pci/blk16-v1', blob: { root: { version: 1, nr_devices: 5_100_000, devices: 0x1000 } } },
  ],
  [
    {
      name: 'one more than 10000 full 4 KiB blocks hold; a 16 KiB page would do',
      abi: 'pci/blk16-v1',
      blob: { root: { version: 1, nr_devices: 5_100_001, devices: 0x1000 } },
      expect: [{ offset: 4, message: /nr_devices = 5100001 needs more than 10000 blocks of 4096 bytes \(5100000 entries at most\); a 16384-byte page holds 10000 × 2046: --page-size 16384/ }],
    },
    { name: 'u32 max: no page size holds it', abi: 'pci-v2/blk12', blob: { root: { nr_devices: 0xffffffff, devices: 0x1000 } }, expect: [{ offset: 0, message: /entries at most\)$/ }] },
  ],
);
