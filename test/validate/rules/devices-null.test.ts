import { devicesNull } from '../../../src/validate/rules/devices-null.js';
import { ruleTable } from '../rule-table.js';

ruleTable(
  devicesNull,
  [
    { name: 'empty set: both zero', abi: 'pci-v1/blk12', blob: {} },
    { name: 'devices set', abi: 'pci/blk16-v1', blob: { root: { version: 1, nr_devices: 3, devices: 0x12345000n } } },
  ],
  [
    { name: 'nr > 0, devices == 0 (blk12, misaligned u64)', abi: 'pci-v2/blk12', blob: { root: { nr_devices: 2 } }, expect: [{ offset: 4, message: /devices = 0 while nr_devices = 2/ }] },
    { name: 'nr > 0, devices == 0 (blk16)', abi: 'pci/blk16-v2', blob: { root: { version: 2, nr_devices: 1 } }, expect: [{ offset: 8 }] },
  ],
);
