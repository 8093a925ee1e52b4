/** A pci-v3/flat8-max32 blob of n distinct in-use devices (domain i >> 16, bdf i & 0xffff), built byte by byte. */
export function bigSlotsBlob(n) {
  const b = Buffer.alloc(8 + 8 * n);
  b.writeUInt32LE(n, 0);
  b.writeUInt32LE(n, 4);
  for (let i = 0; i < n; i++) {
    b.writeUInt32LE(Math.floor(i / 65536), 8 + 8 * i);
    b.writeUInt16LE(i % 65536, 12 + 8 * i);
    b.writeUInt16LE(1, 14 + 8 * i);
  }
  return b;
}
