import { reservedNonzero } from '../../../src/validate/rules/reserved-nonzero.js';
import { dev } from '../blob.js';
import { ruleTable } from '../rule-table.js';

ruleTable(
  reservedNonzero,
  [
    { name: 'reserved 0', abi: 'pci-v1/flat8-max64', blob: { root: { max_nr_devices: 1, nr_devices: 1 }, slots: [dev(0, 1, 0, 0)] } },
    { name: 'refcount is no reserved field', abi: 'pci-v2/flat8-max64', blob: { root: { max_nr_devices: 1, nr_devices: 1 }, slots: [dev(0, 1, 0, 0, { refcount: 1 })] } },
  ],
  [
    { name: 'reserved != 0 (looks like a pci-v2 refcount)', abi: 'pci-v1/flat8-max64', blob: { root: { max_nr_devices: 2, nr_devices: 2 }, slots: [dev(0, 1, 0, 0), dev(0, 2, 0, 0, { reserved: 1 })] }, expect: [{ offset: 30, index: 1, message: /devices\[1\].reserved = 0x1/ }] },
  ],
);
