import { trailingNonzero } from '../../../src/validate/rules/trailing-nonzero.js';
import { dev } from '../blob.js';
import { ruleTable } from '../rule-table.js';

ruleTable(
  trailingNonzero,
  [
    { name: 'page-sized, zero tail', abi: 'pci-v2/flat8-max32', blob: { root: { max_nr_devices: 1, nr_devices: 1 }, slots: [dev(0, 1, 0, 0, { refcount: 1 })], size: 4096 } },
    { name: 'block root in its own zeroed page', abi: 'pci/blk16-v2', blob: { root: { version: 2 }, size: 4096 } },
  ],
  [
    { name: 'bytes after the last slot', abi: 'pci-v1/flat4-nomax', blob: { root: { nr_devices: 1 }, slots: [dev(0, 1, 0, 0)], size: 64, poke: [[20, 1], [30, 2]] }, expect: [{ offset: 20, message: /0x14\.\.0x1e, after the 12 bytes/ }] },
    { name: 'bytes after a block root', abi: 'pci-v1/blk12', blob: { size: 32, poke: [[12, 0xff]] }, expect: [{ offset: 12 }] },
  ],
);
