import { definePciAbi, flex, struct, u16, u32 } from '../src/schema/define.js';

/** v6 06 onwards: the string bumped to "pci-v3" for the hierarchical refcount. */
export default definePciAbi({
  id: 'pci-v3/flat8-max32',
  compatible: 'pci-v3',
  header: 'include/linux/kho/abi/pci.h',
  seen: '2026-05-22',
  summary: 'v6 06+ (2026-05-22): bytes of flat8-max32, hierarchical refcount, compat bumped',
  provenance: [
    { messageId: '<20260522202410.3104264-7-dmatlack@google.com>', note: 'v6 06/12, pci.h blob c86518be4ce7' },
    { repo: 'dmatlack/linux', commit: '02736e5ff3615fe6b29eb7362f7fe04fe602628e', note: 'v6 liveupdate.c' },
  ],
  semantics: 'slots-hier',
  storage: 'inline',
  structs: [
    struct('pci_dev_ser', { packed: true }, [
      u32('domain', 'PCI domain number'),
      u16('bdf', 'pci_dev_id(): bus << 8 | devfn'),
      u16('refcount', 'number of preserved devices at or below this device in the hierarchy'),
    ]),
    struct('pci_ser', { packed: true }, [
      u32('max_nr_devices', 'number of slots in devices[]'),
      u32('nr_devices', 'number of slots in use'),
      flex('devices', 'pci_dev_ser', 'slots; a slot is in use iff refcount != 0'),
    ]),
  ],
});
