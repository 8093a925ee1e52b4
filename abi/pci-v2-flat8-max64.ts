import { definePciAbi, flex, struct, u16, u32, u64 } from '../src/schema/define.js';

/** dmatlack development branches between v3 and v4: "pci-v2" with a refcount, u64 counts. */
export default definePciAbi({
  id: 'pci-v2/flat8-max64',
  compatible: 'pci-v2',
  header: 'include/linux/kho/abi/pci.h',
  seen: '2026-04',
  summary: 'dev branches (Mar-Apr 2026): bytes of pci-v1/flat8-max64, offset 6 is a refcount; slot allocator',
  provenance: [
    { repo: 'dmatlack/linux', commit: '2932bac006535e96fb8acdb49163cecba91494d2', note: 'slot allocator, holes allowed' },
    { repo: 'dmatlack/linux', commit: '3dd49c8e6d68700b49acc36dbac811f597e8a37b', note: 'sorted insertion with refcount 1' },
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
      u64('max_nr_devices', 'number of slots in devices[]'),
      u64('nr_devices', 'number of slots in use'),
      flex('devices', 'pci_dev_ser', 'slots; a slot is in use iff refcount != 0'),
    ]),
  ],
});
