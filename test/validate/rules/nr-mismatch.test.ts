import { nrMismatch } from '../../../src/validate/rules/nr-mismatch.js';
import { dev } from '../blob.js';
import { ruleTable } from '../rule-table.js';

ruleTable(
  nrMismatch,
  [
    { name: 'nr counts the in-use slots, with a hole', abi: 'pci-v2/flat8-max32', blob: { root: { max_nr_devices: 3, nr_devices: 2 }, slots: [dev(0, 1, 0, 0, { refcount: 1 }), {}, dev(0, 2, 0, 0, { refcount: 1 })] } },
    { name: 'empty', abi: 'pci-v3/flat8-max32', blob: { root: { max_nr_devices: 4, nr_devices: 0 }, slots: [{}, {}, {}, {}] } },
    { name: 'sorted layouts: nr is the array length', abi: 'pci-v1/flat8-max64', blob: { root: { max_nr_devices: 2, nr_devices: 1 }, slots: [dev(0, 1, 0, 0), {}] } },
  ],
  [
    { name: 'unpreserve zeroed the slot but kept nr (2932bac)', abi: 'pci-v2/flat8-max64', blob: { root: { max_nr_devices: 2, nr_devices: 2 }, slots: [dev(0, 1, 0, 0, { refcount: 1 }), {}] }, expect: [{ offset: 8, message: /nr_devices = 2, but 1 slot is in use/ }] },
    { name: 'nr too small', abi: 'pci-v2/flat8-max32-hier', blob: { root: { max_nr_devices: 2, nr_devices: 0 }, slots: [dev(0, 1, 0, 0, { refcount: 1 }), dev(0, 2, 0, 0, { refcount: 1 })] }, expect: [{ offset: 4, message: /2 slots are in use/ }] },
  ],
);
