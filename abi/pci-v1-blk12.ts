import { definePciAbi, phys, struct, u16, u32 } from '../src/schema/define.js';

/** v7 01-05 (Jul 2026): 12-byte root pointing at a KHO block chain, refcount 0/1. */
export default definePciAbi({
  id: 'pci-v1/blk12',
  compatible: 'pci-v1',
  header: 'include/linux/kho/abi/pci.h',
  seen: '2026-07-10',
  summary: 'v7 01-05 (2026-07-10): u32 nr_devices, u64 devices (PA of a KHO block chain); refcount 0/1',
  provenance: [
    { messageId: '<20260710212616.1351130-2-dmatlack@google.com>', note: 'v7 01/12, pci.h blob de549016807a' },
  ],
  semantics: 'slots',
  storage: 'block-chain',
  structs: [
    struct('pci_dev_ser', { packed: true }, [
      u32('domain', 'PCI domain number'),
      u16('bdf', 'pci_dev_id(): bus << 8 | devfn'),
      u16('refcount', '1 while the device is preserved, 0 for a free slot'),
    ]),
    struct('pci_ser', { packed: true }, [
      u32('nr_devices', 'number of entries in use'),
      phys('devices', 'physical address of the first KHO block header, 0 if none'),
    ]),
  ],
});
