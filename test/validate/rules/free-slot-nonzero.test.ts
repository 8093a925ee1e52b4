import { freeSlotNonzero } from '../../../src/validate/rules/free-slot-nonzero.js';
import { dev } from '../blob.js';
import { ruleTable } from '../rule-table.js';

ruleTable(
  freeSlotNonzero,
  [
    { name: 'free slots zero', abi: 'pci-v2/flat8-max32', blob: { root: { max_nr_devices: 3, nr_devices: 1 }, slots: [{}, dev(0, 1, 0, 0, { refcount: 1 }), {}] } },
    { name: 'sorted: zero past nr', abi: 'pci-v1/flat4-max64', blob: { root: { max_nr_devices: 2, nr_devices: 1 }, slots: [dev(0, 1, 0, 0), {}] } },
    { name: 'skeleton slots are SKELETON_NOT_EMPTY', abi: 'pci-v1/flat8-max32', blob: { root: { max_nr_devices: 1 }, slots: [dev(0, 1, 0, 0)] } },
  ],
  [
    { name: 'refcount 0 with a stale domain', abi: 'pci-v2/flat8-max32', blob: { root: { max_nr_devices: 2, nr_devices: 1 }, slots: [dev(0, 1, 0, 0, { refcount: 1 }), dev(3, 0, 0, 0)] }, expect: [{ offset: 16, index: 1, message: /free \(refcount 0\)/ }] },
    { name: 'sorted: stale entry past nr (unpreserve shifted left)', abi: 'pci-v1/flat8-max64', blob: { root: { max_nr_devices: 2, nr_devices: 1 }, slots: [dev(0, 1, 0, 0), dev(0, 2, 0, 0)] }, expect: [{ offset: 24, index: 1, message: /past nr_devices/ }] },
  ],
);
