import { definePciAbi, flex, struct, u16, u32 } from '../src/schema/define.js';

/** Patch 01 of v4/v5/v6: only the FLB skeleton, no device is ever written. */
export default definePciAbi({
  id: 'pci-v1/flat8-max32',
  compatible: 'pci-v1',
  header: 'include/linux/kho/abi/pci.h',
  seen: '2026-04-23',
  summary: 'v4/v5/v6 patch 01 (2026-04..05): u32 max, u32 nr; skeleton, nothing written',
  provenance: [
    { messageId: '<20260423212242.3431136-1-dmatlack@google.com>', note: 'v4 01/11, pci.h blob 5c0e92588c00, field named reserved' },
    { repo: 'shvipin/linux', commit: '43ac7ab976a1bc3588e67f64773c35f33206cb51' },
    { repo: 'linux-mm/linux-mm', commit: '8333de2ec5150fbec7820bf5258a4c67670fb90b', note: 'v5/v6 01, blob 6ebcf817fff4, field renamed padding' },
  ],
  semantics: 'skeleton',
  storage: 'inline',
  structs: [
    struct('pci_dev_ser', { packed: true }, [
      u32('domain', 'PCI domain number'),
      u16('bdf', 'pci_dev_id(): bus << 8 | devfn'),
      u16('padding', 'unused'),
    ]),
    struct('pci_ser', { packed: true }, [
      u32('max_nr_devices', 'number of slots in devices[]'),
      u32('nr_devices', 'number of slots in use (always 0 at this patch)'),
      flex('devices', 'pci_dev_ser'),
    ]),
  ],
});
