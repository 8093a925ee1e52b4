import { defineContainer, fdtProperty } from '../src/schema/define.js';

/** include/linux/kho/abi/kexec_handover.h: the KHO root tree, one FDT page handed to the next kernel. */
export default defineContainer({
  id: 'kho-fdt',
  compatible: 'kho-v1',
  alsoCompatible: ['kho-v2', 'kho-v3', 'kho-v4'],
  header: 'include/linux/kho/abi/kexec_handover.h',
  summary: 'KHO root FDT: root compatible "kho-vN" (later "kho-v4;radix-v1;vmalloc-v1", parts joined by ";"), one subnode per KHO entry ("LUO", "memblock", ...); u64 values stored CPU-native, not as big-endian cells',
  provenance: [
    { repo: 'torvalds/linux', commit: 'c17ee635fd3a482b2ad2bf5e269755c2eae5f25e', note: 'kho-v1: subnode property fdt = PA of a sub-FDT' },
    { repo: 'torvalds/linux', commit: '3f2ad90060f65d6f66414b8a67c569154bafec7b', note: 'kho-v2: preserved-data = PA of a blob, no size' },
    { repo: 'linux-mm/linux-mm', commit: '222ae381de619ca1cea9f6f0974443765d849237', note: 'kho-v2 with blob-size (same string, one more property)' },
    { repo: 'gregkh/linux', commit: '9d87d0fc8c8e0a2a2b5026a169db2f270b4828c1', note: 'kho-v3: preserved-data + blob-size' },
    { repo: 'linux-mm/linux-mm', commit: 'd3b55a6a3d6c3c3eebea0aa9e78a21a57aa9efdf', note: 'kho-v4' },
    { repo: 'linux-mm/linux-mm', commit: '8c8e79304b06b64039986b38c916b675d2ca7693', note: 'KHO_SUB_COMPAT: composite strings "kho-v4;radix-v1;vmalloc-v1" (compat.h)' },
    { repo: 'linux-mm/linux-mm', commit: '65660710427926892c784d39e015528fcc2a3c4f', note: 'kho_populate: fdt_check_header, exact root compatible, blob-size required' },
  ],
  fdt: [
    fdtProperty('', 'compatible', 'string', 'the KHO version string'),
    fdtProperty('', 'preserved-memory-map', 'u64', 'PA of the preserved-memory map (v1 bitmap chunks, v2+ radix tree root)'),
    fdtProperty('*', 'fdt', 'u64', 'kho-v1: PA of the entry sub-FDT'),
    fdtProperty('*', 'preserved-data', 'u64', 'kho-v2 and later: PA of the entry blob'),
    fdtProperty('*', 'blob-size', 'u64', 'bytes of the entry blob; required from kho-v3, absent in the first kho-v2'),
  ],
  structs: [],
});
