import { definePciAbi, flex, struct, u16, u32 } from '../src/schema/define.js';

/** v4 02+, v5 02-05, v6 02-05: slots with refcount 1 while in use. */
export default definePciAbi({
  id: 'pci-v2/flat8-max32',
  compatible: 'pci-v2',
  header: 'include/linux/kho/abi/pci.h',
  seen: '2026-04-23',
  summary: 'v4-v6 patches 02-05 (2026-04..05): u32 max, u32 nr; slots, refcount 0/1',
  provenance: [
    { messageId: '<20260423212316.3431746-3-dmatlack@google.com>', note: 'v4 02/11, pci.h blob 5b4c8d9e462c' },
    { repo: 'shvipin/linux', commit: '0d5a25ecd47857741f21236ffb131192452c6f8f' },
    { repo: 'linux-mm/linux-mm', commit: '3bb8a42d4b99456ce2659710d75517e7254d4e1d', note: 'v6 02, pci.h blob 85def616703d' },
  ],
  semantics: 'slots',
  storage: 'inline',
  structs: [
    struct('pci_dev_ser', { packed: true }, [
      u32('domain', 'PCI domain number'),
      u16('bdf', 'pci_dev_id(): bus << 8 | devfn'),
      u16('refcount', '1 while the device is preserved, 0 for a free slot'),
    ]),
    struct('pci_ser', { packed: true }, [
      u32('max_nr_devices', 'number of slots in devices[]'),
      u32('nr_devices', 'number of slots in use'),
      flex('devices', 'pci_dev_ser', 'slots; a slot is in use iff refcount != 0'),
    ]),
  ],
});
