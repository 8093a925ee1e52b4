import { nrExceedsMax } from '../../../src/validate/rules/nr-exceeds-max.js';
import { dev } from '../blob.js';
import { ruleTable } from '../rule-table.js';

ruleTable(
  nrExceedsMax,
  [
    { name: 'nr == max', abi: 'pci-v1/flat8-max64', blob: { root: { max_nr_devices: 1, nr_devices: 1 }, slots: [dev(0, 1, 0, 0)] } },
    { name: 'nr < max (u32 counts)', abi: 'pci-v2/flat8-max32', blob: { root: { max_nr_devices: 2, nr_devices: 1 }, slots: [dev(0, 1, 0, 0, { refcount: 1 }), {}] } },
    { name: 'no max field', abi: 'pci-v1/flat4-nomax', blob: { root: { nr_devices: 1 }, slots: [dev(0, 1, 0, 0)] } },
  ],
  [
    { name: 'sorted: nr > max, entries present', abi: 'pci-v1/flat4-max64', blob: { root: { max_nr_devices: 1, nr_devices: 2 }, slots: [dev(0, 1, 0, 0), dev(0, 2, 0, 0)] }, expect: [{ offset: 8, message: /nr_devices = 2 exceeds max_nr_devices = 1/ }] },
    { name: 'slots: nr > max', abi: 'pci-v3/flat8-max32', blob: { root: { max_nr_devices: 1, nr_devices: 5 }, slots: [dev(0, 1, 0, 0, { refcount: 1 })] }, expect: [{ offset: 4 }] },
    { name: 'reported even when the blob is truncated', abi: 'pci-v1/flat8-max64', blob: { root: { max_nr_devices: 0, nr_devices: 1000 } }, expect: [{ offset: 8 }] },
  ],
);
