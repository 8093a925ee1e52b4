import { definePciAbi, phys, struct, u16, u32 } from '../src/schema/define.js';

/** Later "pci" tree (late Sep 2026): PCI_LUO_FLB_VERSION 2, hierarchical refcount. */
export default definePciAbi({
  id: 'pci/blk16-v2',
  compatible: 'pci',
  version: 2,
  header: 'include/linux/kho/abi/pci.h',
  seen: '2026-09-28',
  summary: 'late 2026: u32 version = 2, u32 nr_devices, u64 devices (KHO block chain); hierarchical refcount',
  provenance: [
    { repo: 'analogdevicesinc/linux', commit: '39f8a23bd04b6250554f555bdf13e1415fcdcac7' },
  ],
  semantics: 'slots-hier',
  storage: 'block-chain',
  structs: [
    struct('pci_dev_ser', { packed: true }, [
      u32('domain', 'PCI domain number'),
      u16('bdf', 'pci_dev_id(): bus << 8 | devfn'),
      u16('refcount', 'number of preserved devices at or below this device in the hierarchy'),
    ]),
    struct('pci_ser', { packed: true }, [
      u32('version', 'PCI_LUO_FLB_VERSION; must never be deleted, moved, or resized'),
      u32('nr_devices', 'number of entries in use'),
      phys('devices', 'physical address of the first KHO block header, 0 if none'),
    ]),
  ],
});
