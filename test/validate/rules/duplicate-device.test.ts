import { duplicateDevice } from '../../../src/validate/rules/duplicate-device.js';
import { dev, makeBlob, type Slot } from '../blob.js';
import { ruleTable } from '../rule-table.js';

/** n distinct in-use slots in scrambled order over several domains, plus an optional repeat at the end. */
function many(n: number, repeat: boolean): Uint8Array {
  const slots: Slot[] = [];
  for (let i = 0; i < n; i++) {
    const k = (i * 7919) % n;
    slots.push({ domain: k >>> 16, bdf: k & 0xffff, refcount: 1 });
  }
  if (repeat) slots.push({ ...slots[n >> 1]!, refcount: 1 });
  return makeBlob('pci-v2/flat8-max32', { root: { max_nr_devices: slots.length, nr_devices: slots.length }, slots });
}

ruleTable(
  duplicateDevice,
  [
    { name: 'same bdf, different domains', abi: 'pci-v2/flat8-max32', blob: { root: { max_nr_devices: 2, nr_devices: 2 }, slots: [dev(0, 1, 0, 0, { refcount: 1 }), dev(1, 1, 0, 0, { refcount: 1 })] } },
    { name: 'same domain and bdf but one slot free', abi: 'pci-v2/flat8-max64', blob: { root: { max_nr_devices: 2, nr_devices: 1 }, slots: [dev(0, 1, 0, 0, { refcount: 1 }), dev(0, 1, 0, 0)] } },
    { name: 'domain 0x10000 is not domain 0 (no 32-bit truncation)', abi: 'pci-v3/flat8-max32', blob: { root: { max_nr_devices: 2, nr_devices: 2 }, slots: [dev(0x10000, 0, 1, 0, { refcount: 1 }), dev(0, 0, 1, 0, { refcount: 1 })] } },
    { name: '70000 distinct devices over two domains, scrambled (bitset path)', abi: 'pci-v2/flat8-max32', blob: many(70000, false) },
  ],
  [
    { name: 'adjacent in a sorted layout', abi: 'pci-v1/flat4-nomax', blob: { root: { nr_devices: 2 }, slots: [dev(0, 1, 0, 0), dev(0, 1, 0, 0)] }, expect: [{ offset: 12, index: 1, message: /devices\[1\] 0000:01:00.0 repeats devices\[0\]/ }] },
    { name: 'far apart in slots', abi: 'pci-v2/flat8-max32', blob: { root: { max_nr_devices: 3, nr_devices: 2 }, slots: [dev(0, 1, 0, 0, { refcount: 1 }), {}, dev(0, 1, 0, 0, { refcount: 1 })] }, expect: [{ offset: 24, index: 2, message: /repeats devices\[0\]/ }] },
    { name: 'three holders: two findings', abi: 'pci-v2/flat8-max32-hier', blob: { root: { max_nr_devices: 3, nr_devices: 3 }, slots: [dev(0, 1, 0, 0, { refcount: 2 }), dev(0, 1, 0, 0, { refcount: 1 }), dev(0, 1, 0, 0, { refcount: 1 })] }, expect: [{ index: 1 }, { index: 2 }] },
    { name: '70000 devices with one repeat (bitset path)', abi: 'pci-v2/flat8-max32', blob: many(70000, true), expect: [{ index: 70000 }] },
  ],
);
