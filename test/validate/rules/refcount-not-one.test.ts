import { refcountNotOne } from '../../../src/validate/rules/refcount-not-one.js';
import { dev } from '../blob.js';
import { ruleTable } from '../rule-table.js';

ruleTable(
  refcountNotOne,
  [
    { name: 'every in-use refcount 1', abi: 'pci-v2/flat8-max32', blob: { root: { max_nr_devices: 2, nr_devices: 2 }, slots: [dev(0, 1, 0, 0, { refcount: 1 }), dev(0, 2, 0, 0, { refcount: 1 })] } },
    { name: 'hierarchical counts are not 0/1 semantics', abi: 'pci-v3/flat8-max32', blob: { root: { max_nr_devices: 2, nr_devices: 2 }, slots: [dev(0, 0, 1, 0, { refcount: 2 }), dev(0, 1, 0, 0, { refcount: 1 })] } },
    { name: 'same bytes, hier id', abi: 'pci-v2/flat8-max32-hier', blob: { root: { max_nr_devices: 1, nr_devices: 1 }, slots: [dev(0, 0, 1, 0, { refcount: 7 })] } },
  ],
  [
    { name: 'a bridge count under 0/1 semantics', abi: 'pci-v2/flat8-max32', blob: { root: { max_nr_devices: 2, nr_devices: 2 }, slots: [dev(0, 0, 1, 0, { refcount: 2 }), dev(0, 1, 0, 0, { refcount: 1 })] }, expect: [{ offset: 14, index: 0, message: /refcount 2/ }] },
    { name: 'u64-count slots layout', abi: 'pci-v2/flat8-max64', blob: { root: { max_nr_devices: 2, nr_devices: 1 }, slots: [{}, dev(0, 1, 0, 0, { refcount: 0xffff })] }, expect: [{ offset: 30, index: 1 }] },
  ],
);
