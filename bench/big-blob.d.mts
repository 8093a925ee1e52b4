/** A pci-v3/flat8-max32 blob of n distinct in-use devices (domain i >> 16, bdf i & 0xffff), built byte by byte. */
export function bigSlotsBlob(n: number): Buffer;
