import { chainNotChecked } from '../../../src/validate/rules/chain-not-checked.js';
import { ruleTable } from '../rule-table.js';

ruleTable(
  chainNotChecked,
  [
    { name: 'no chain: devices == 0, nr_devices == 0', abi: 'pci/blk16-v1', blob: { root: { version: 1 } } },
    { name: 'flat layouts have no chain', abi: 'pci-v3/flat8-max32', blob: { root: { max_nr_devices: 1 }, slots: [{}] } },
  ],
  [
    { name: 'blk16 root read alone', abi: 'pci/blk16-v1', blob: { root: { version: 1, nr_devices: 3, devices: 0x101000 } }, expect: [{ offset: 8, message: /devices = 0x101000: the KHO block chain was not walked/ }] },
    { name: 'blk12 root read alone (u64 at offset 4)', abi: 'pci-v1/blk12', blob: { root: { nr_devices: 1, devices: 0x7000000 } }, expect: [{ offset: 4 }] },
  ],
);
