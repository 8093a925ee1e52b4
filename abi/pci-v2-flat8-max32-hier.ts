import { definePciAbi, flex, struct, u16, u32 } from '../src/schema/define.js';

/** The v5 bridge patch kept "pci-v2" while making the refcount hierarchical. */
export default definePciAbi({
  id: 'pci-v2/flat8-max32-hier',
  compatible: 'pci-v2',
  header: 'include/linux/kho/abi/pci.h',
  seen: '2026-05-12',
  summary: 'v5 bridges (2026-05-12): bytes and string of pci-v2/flat8-max32, hierarchical refcount',
  provenance: [
    { messageId: '<20260512184846.119396-3-dmatlack@google.com>', note: 'v5 02/11, pci.h blob 807fe0e6538f, hierarchical doc' },
    { repo: 'linux-mm/linux-mm', commit: '257e1028756883c4d5a7d836ecf34cb96b14559c', note: 'liveupdate.c with bridge auto-preservation' },
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
