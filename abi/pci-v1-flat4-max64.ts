import { definePciAbi, flex, struct, u16, u64 } from '../src/schema/define.js';

/** v2 posting (Jan 2026): adds max_nr_devices, still u16 domain. */
export default definePciAbi({
  id: 'pci-v1/flat4-max64',
  compatible: 'pci-v1',
  header: 'include/linux/kho/abi/pci.h',
  seen: '2026-01-29',
  summary: 'v2 (2026-01-29): u64 max_nr_devices, u64 nr_devices, sorted 4-byte entries (u16 domain)',
  provenance: [
    { messageId: '<20260129212510.967611-3-dmatlack@google.com>', note: 'v2 02/22, pci.h blob 6577767f8da6; quoted in <aZ1svGur9IxQ7Td2@google.com>' },
  ],
  semantics: 'sorted',
  storage: 'inline',
  structs: [
    struct('pci_dev_ser', { packed: true }, [
      u16('domain', 'PCI domain number (16 bits)'),
      u16('bdf', 'pci_dev_id(): bus << 8 | devfn'),
    ]),
    struct('pci_ser', { packed: true }, [
      u64('max_nr_devices', 'number of entries devices[] has room for'),
      u64('nr_devices', 'number of entries in use'),
      flex('devices', 'pci_dev_ser', 'preserved devices, ascending by domain and bdf'),
    ]),
  ],
});
