// Benchmark inputs: a blob of N in-use entries under a flat id, as our encode input and as bytes.

/** Encode input `{ root, devices }` with N devices, keys ascending (valid for sorted and slot layouts). */
export function benchInput(abi, n) {
  const devices = new Array(n);
  for (let i = 0; i < n; i++) {
    const dev = { index: i, domain: Math.floor(i / 0x10000), bdf: i & 0xffff };
    if (abi.roles.refcount) dev[abi.roles.refcount.name] = 1;
    if (abi.roles.reserved) dev[abi.roles.reserved.name] = 0;
    devices[i] = dev;
  }
  const count = (f) => (f.elementSize === 8 ? BigInt(n) : n);
  const root = { nr_devices: count(abi.roles.nr) };
  if (abi.roles.max) root[abi.roles.max.name] = count(abi.roles.max);
  return { root, devices };
}
