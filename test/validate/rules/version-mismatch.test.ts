import { versionMismatch } from '../../../src/validate/rules/version-mismatch.js';
import { ruleTable } from '../rule-table.js';

ruleTable(
  versionMismatch,
  [
    { name: 'version 1', abi: 'pci/blk16-v1', blob: { root: { version: 1 } } },
    { name: 'version 2', abi: 'pci/blk16-v2', blob: { root: { version: 2 } } },
    { name: 'no version field', abi: 'pci-v2/blk12', blob: {} },
  ],
  [
    { name: 'v2 blob read by a v1 kernel', abi: 'pci/blk16-v1', blob: { root: { version: 2 } }, expect: [{ offset: 0, message: /version = 2; pci\/blk16-v1 has PCI_LUO_FLB_VERSION 1/ }] },
    { name: 'zero version', abi: 'pci/blk16-v2', blob: {}, expect: [{ offset: 0 }] },
  ],
);
