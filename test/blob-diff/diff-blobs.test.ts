import { describe, expect, it } from 'vitest';
import { UsageError, diffBlobs } from '../../src/index.js';
import { dev, makeBlob } from '../validate/blob.js';

const v3 = (devs: ReturnType<typeof dev>[]) => makeBlob('pci-v1/flat8-max64', { root: { max_nr_devices: 4, nr_devices: devs.length }, slots: [...devs, ...Array(4 - devs.length).fill({})] });
const v4 = (slots: ReturnType<typeof dev>[]) => makeBlob('pci-v2/flat8-max32', { root: { max_nr_devices: slots.length, nr_devices: slots.filter((s) => s.refcount).length }, slots });

describe('diffBlobs', () => {
  it('finds no device difference for the same set under pci-v1/flat8-max64 and pci-v2/flat8-max32', () => {
    const a = v3([dev(0, 3, 0, 0), dev(0x10000, 1, 0, 0)]);
    const b = v4([dev(0x10000, 1, 0, 0, { refcount: 1 }), {}, dev(0, 3, 0, 0, { refcount: 1 }), {}]);
    const d = diffBlobs(a, 'pci-v1/flat8-max64', b, 'pci-v2/flat8-max32');
    expect(d).toMatchObject({ same: true, added: [], removed: [], changed: [], moved: [], root: [], countA: 2, countB: 2 });
  });

  it('counts a changed root field (nr_devices, max_nr_devices) as a difference, with the same devices', () => {
    const a = v3([dev(0, 3, 0, 0)]);
    const b = makeBlob('pci-v1/flat8-max64', { root: { max_nr_devices: 9, nr_devices: 1 }, slots: [dev(0, 3, 0, 0), {}, {}, {}, {}, {}, {}, {}, {}] });
    const d = diffBlobs(a, 'pci-v1/flat8-max64', b, 'pci-v1/flat8-max64');
    expect(d).toMatchObject({ same: false, added: [], removed: [], root: [{ field: 'max_nr_devices', a: '4', b: '9' }] });
  });

  it('reports added, removed, refcount changes and slot moves', () => {
    const a = v4([dev(0, 3, 0, 0, { refcount: 1 }), dev(0, 4, 0, 0, { refcount: 1 }), dev(0, 5, 0, 0, { refcount: 1 }), {}]);
    const b = v4([dev(0, 3, 0, 0, { refcount: 2 }), {}, {}, dev(0, 5, 0, 0, { refcount: 1 }), dev(0, 6, 0, 0, { refcount: 1 })]);
    const d = diffBlobs(a, 'pci-v3/flat8-max32', b, 'pci-v3/flat8-max32');
    expect(d.same).toBe(false);
    expect(d.added.map((x) => x.address)).toEqual(['0000:06:00.0']);
    expect(d.removed.map((x) => x.address)).toEqual(['0000:04:00.0']);
    expect(d.changed.map(({ a: x, b: y }) => [x.address, x.refcount, y.refcount])).toEqual([['0000:03:00.0', 1, 2]]);
    expect(d.moved.map(({ a: x, b: y }) => [x.address, x.index, y.index])).toEqual([['0000:05:00.0', 2, 3]]);
  });

  it('does not call index shifts in sorted layouts moves', () => {
    const d = diffBlobs(v3([dev(0, 4, 0, 0)]), 'pci-v1/flat8-max64', v3([dev(0, 3, 0, 0), dev(0, 4, 0, 0)]));
    expect(d.moved).toEqual([]);
    expect(d.added.map((x) => x.address)).toEqual(['0000:03:00.0']);
  });

  it('refuses block layouts without their chain', () => {
    const root = makeBlob('pci-v1/blk12', { root: { nr_devices: 1, devices: 0x1000n } });
    expect(() => diffBlobs(root, 'pci-v1/blk12', root, 'pci-v1/blk12')).toThrow(UsageError);
  });
});
