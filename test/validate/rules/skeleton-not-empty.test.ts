import { skeletonNotEmpty } from '../../../src/validate/rules/skeleton-not-empty.js';
import { dev } from '../blob.js';
import { ruleTable } from '../rule-table.js';

ruleTable(
  skeletonNotEmpty,
  [
    { name: 'max slots, all zero', abi: 'pci-v1/flat8-max32', blob: { root: { max_nr_devices: 3, nr_devices: 0 }, slots: [{}, {}, {}] } },
    { name: 'no slots', abi: 'pci-v1/flat8-max32', blob: { root: { max_nr_devices: 0, nr_devices: 0 } } },
    { name: 'other layouts hold devices', abi: 'pci-v2/flat8-max32', blob: { root: { max_nr_devices: 1, nr_devices: 1 }, slots: [dev(0, 1, 0, 0, { refcount: 1 })] } },
  ],
  [
    { name: 'nr != 0', abi: 'pci-v1/flat8-max32', blob: { root: { max_nr_devices: 1, nr_devices: 1 }, slots: [{}] }, expect: [{ offset: 4, message: /nr_devices = 1/ }] },
    { name: 'a written slot', abi: 'pci-v1/flat8-max32', blob: { root: { max_nr_devices: 2, nr_devices: 0 }, slots: [{}, dev(0, 1, 0, 0, { padding: 1 })] }, expect: [{ offset: 16, index: 1 }] },
  ],
);
