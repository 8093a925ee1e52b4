import { definePciAbi, flex, struct, u16, u64 } from '../src/schema/define.js';

/** v1 posting (Nov 2025): u16 domain, no capacity field, sorted. */
export default definePciAbi({
  id: 'pci-v1/flat4-nomax',
  compatible: 'pci-v1',
  header: 'include/linux/kho/abi/pci.h',
  seen: '2025-11-26',
  summary: 'v1 (2025-11-26): u64 nr_devices then sorted 4-byte entries; capacity is the folio size',
  provenance: [
    { messageId: '<20251126193608.2678510-3-dmatlack@google.com>', note: 'v1 02/21, pci.h blob 53744b6f191a' },
    { repo: 'samikhawaja/linux', commit: 'b99cb30d42f76bf0bad4ed0bfdfd56313e8aa24c' },
    { repo: 'dmatlack/linux', commit: 'ba20be66a98a3a7c9af4ece8bc939fa5436716e9', note: 'earlier snapshot, same bytes' },
  ],
  semantics: 'sorted',
  storage: 'inline',
  structs: [
    struct('pci_dev_ser', { packed: true }, [
      u16('domain', 'PCI domain number (truncated to 16 bits by the writer)'),
      u16('bdf', 'pci_dev_id(): bus << 8 | devfn'),
    ]),
    struct('pci_ser', { packed: true }, [
      u64('nr_devices', 'number of entries in devices[]'),
      flex('devices', 'pci_dev_ser', 'preserved devices, ascending by domain and bdf'),
    ]),
  ],
});
