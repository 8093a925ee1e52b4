import { blobTruncated } from '../../../src/validate/rules/blob-truncated.js';
import { dev } from '../blob.js';
import { ruleTable } from '../rule-table.js';

ruleTable(
  blobTruncated,
  [
    { name: 'sorted blob holding nr entries', abi: 'pci-v1/flat4-nomax', blob: { root: { nr_devices: 2 }, slots: [dev(0, 0, 1, 0), dev(0, 0, 2, 0)] } },
    { name: 'slots blob holding max slots', abi: 'pci-v2/flat8-max32', blob: { root: { max_nr_devices: 2, nr_devices: 0 }, slots: [{}, {}] } },
    { name: 'block root alone', abi: 'pci/blk16-v1', blob: { root: { version: 1 } } },
  ],
  [
    { name: 'shorter than the root', abi: 'pci-v1/flat8-max64', blob: new Uint8Array(10), expect: [{ offset: 10, message: /needs 16/ }] },
    { name: 'nr claims more than the blob holds', abi: 'pci-v1/flat4-nomax', blob: { root: { nr_devices: 3 }, slots: [dev(0, 0, 1, 0)] }, expect: [{ offset: 12, message: /nr_devices = 3/ }] },
    { name: 'max claims 2^32-1 slots', abi: 'pci-v2/flat8-max32', blob: { root: { max_nr_devices: 0xffffffff }, size: 16 }, expect: [{ offset: 16, message: /max_nr_devices/ }] },
    { name: 'block root cut short', abi: 'pci-v1/blk12', blob: new Uint8Array(8), expect: [{ offset: 8 }] },
  ],
);
