import { definePciAbi, phys, struct, u16, u32 } from '../src/schema/define.js';

/** v7 06+ (Jul 2026): bridges bump the 12-byte block layout to "pci-v2". */
export default definePciAbi({
  id: 'pci-v2/blk12',
  compatible: 'pci-v2',
  header: 'include/linux/kho/abi/pci.h',
  seen: '2026-07-10',
  summary: 'v7 06+ (2026-07): bytes of pci-v1/blk12, hierarchical refcount',
  provenance: [
    { messageId: '<20260710212616.1351130-1-dmatlack@google.com>', note: 'v7 cover letter' },
    { repo: 'zhuyj/linux', commit: '5c0272d3805949bd6254504302431de02ad64dd3', note: 'pci.h "pci-v2" with hierarchical doc, liveupdate.c with bridges' },
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
      u32('nr_devices', 'number of entries in use'),
      phys('devices', 'physical address of the first KHO block header, 0 if none'),
    ]),
  ],
});
