import { entriesUnsorted } from '../../../src/validate/rules/entries-unsorted.js';
import { dev } from '../blob.js';
import { ruleTable } from '../rule-table.js';

ruleTable(
  entriesUnsorted,
  [
    { name: 'ascending by bdf', abi: 'pci-v1/flat4-nomax', blob: { root: { nr_devices: 3 }, slots: [dev(0, 0, 1, 0), dev(0, 0, 1, 1), dev(0, 0x3b, 0, 0)] } },
    { name: 'ascending across domains (48-bit key)', abi: 'pci-v1/flat8-max64', blob: { root: { max_nr_devices: 2, nr_devices: 2 }, slots: [dev(0xffff, 0xff, 0x1f, 7), dev(0x10000, 0, 0, 0)] } },
    { name: 'unsorted stale entries past nr are not looked at', abi: 'pci-v1/flat4-max64', blob: { root: { max_nr_devices: 3, nr_devices: 1 }, slots: [dev(0, 5, 0, 0), dev(0, 1, 0, 0), {}] } },
    { name: 'slot layouts have no order', abi: 'pci-v2/flat8-max32', blob: { root: { max_nr_devices: 2, nr_devices: 2 }, slots: [dev(0, 5, 0, 0, { refcount: 1 }), dev(0, 1, 0, 0, { refcount: 1 })] } },
  ],
  [
    { name: 'one descent', abi: 'pci-v1/flat4-nomax', blob: { root: { nr_devices: 3 }, slots: [dev(0, 1, 0, 0), dev(0, 3, 0, 0), dev(0, 2, 0, 0)] }, expect: [{ offset: 16, index: 2, message: /devices\[2\] 0000:02:00.0 sorts before devices\[1\] 0000:03:00.0/ }] },
    { name: 'domain decides before bdf', abi: 'pci-v1/flat8-max64', blob: { root: { max_nr_devices: 2, nr_devices: 2 }, slots: [dev(1, 0, 0, 0), dev(0, 0xff, 0, 0)] }, expect: [{ offset: 24, index: 1 }] },
    { name: 'reverse order: every step', abi: 'pci-v1/flat4-max64', blob: { root: { max_nr_devices: 3, nr_devices: 3 }, slots: [dev(0, 3, 0, 0), dev(0, 2, 0, 0), dev(0, 1, 0, 0)] }, expect: [{ index: 1 }, { index: 2 }] },
  ],
);
