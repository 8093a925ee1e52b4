import { definePciAbi, flex, struct, u16, u32, u64 } from '../src/schema/define.js';

/** v3 posting (Mar 2026): u32 domain after review, still u64 counts and sorted. */
export default definePciAbi({
  id: 'pci-v1/flat8-max64',
  compatible: 'pci-v1',
  header: 'include/linux/kho/abi/pci.h',
  seen: '2026-03-23',
  summary: 'v3 (2026-03-23): u64 max, u64 nr, sorted 8-byte entries (u32 domain, u16 bdf, u16 reserved)',
  provenance: [
    { messageId: '<20260323235817.1960573-3-dmatlack@google.com>', note: 'v3, pci.h blob 7764795f6818' },
    { repo: 'samikhawaja/linux', commit: '16d3d0debbcfcd2e08e591b7d6b93afcb85a95f7' },
  ],
  semantics: 'sorted',
  storage: 'inline',
  structs: [
    struct('pci_dev_ser', { packed: true }, [
      u32('domain', 'PCI domain number'),
      u16('bdf', 'pci_dev_id(): bus << 8 | devfn'),
      u16('reserved', 'written as 0'),
    ]),
    struct('pci_ser', { packed: true }, [
      u64('max_nr_devices', 'number of entries devices[] has room for'),
      u64('nr_devices', 'number of entries in use'),
      flex('devices', 'pci_dev_ser', 'preserved devices, ascending by domain and bdf'),
    ]),
  ],
});
