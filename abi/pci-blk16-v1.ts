import { definePciAbi, phys, struct, u16, u32 } from '../src/schema/define.js';

/** v8/v9 (Sep 2026): compat "pci" plus an in-blob version field, version 1. */
export default definePciAbi({
  id: 'pci/blk16-v1',
  compatible: 'pci',
  version: 1,
  header: 'include/linux/kho/abi/pci.h',
  seen: '2026-09-10',
  summary: 'v8/v9 (2026-09): u32 version = 1, u32 nr_devices, u64 devices (KHO block chain); refcount 0/1',
  provenance: [
    { repo: 'analogdevicesinc/linux', commit: 'acff3a35a49097424762f255afdaf2a122e926a3', note: 'v8 01' },
    { repo: 'analogdevicesinc/linux', commit: 'b9affdf3de08c9e5fd8dca0c0bc9c54041362a10', note: 'v9 01' },
    { messageId: '<178907579019.868410.18308055594448730960@gitolite.kernel.org>', note: 'liveupdate.git push, 2026-09-10' },
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
      u32('version', 'PCI_LUO_FLB_VERSION; must never be deleted, moved, or resized'),
      u32('nr_devices', 'number of entries in use'),
      phys('devices', 'physical address of the first KHO block header, 0 if none'),
    ]),
  ],
});
