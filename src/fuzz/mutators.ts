import fc from 'fast-check';
import { intRange } from '../codec/scalar.js';
import type { RuleId } from '../errors.js';
import { minSize } from './arbitraries.js';
import { blobCase, mutated, put, rootBytes, type BaseCase } from './base-case.js';
import { blockMutators } from './block-mutators.js';
import type { FuzzCase } from './fuzz-case.js';
import type { Mutator } from './mutator.js';
import { untargetedMutators } from './untargeted.js';


const fieldMax = (f: Parameters<typeof intRange>[0]) => intRange(f)[1];
const pick = <T>(xs: readonly T[]) => fc.constantFrom(...xs);
const hasSlots = (b: BaseCase) => b.abi.semantics === 'slots' || b.abi.semantics === 'slots-hier';

/** Cut the blob before the end of what its root accounts for. */
const truncate: Mutator = {
  name: 'truncate',
  rule: 'BLOB_TRUNCATED',
  applies: () => true,
  cases: (b) => {
    const root = rootBytes(b);
    const end = b.image ? b.abi.root.size : minSize(b.abi, b.slots);
    return fc.nat(end - 1).map((n) => blobCase(b, 'truncate', ['BLOB_TRUNCATED'], root.slice(0, n)));
  },
};

/** nr_devices above max_nr_devices. */
const nrOverMax: Mutator = {
  name: 'nr-over-max',
  rule: 'NR_EXCEEDS_MAX',
  applies: (b) => b.abi.roles.max !== undefined,
  cases: (b) => {
    const { nr, max } = b.abi.roles;
    const over = BigInt(b.set.root[max!.name]!) + 1n;
    return fc.oneof(fc.constant(over), fc.bigInt({ min: over, max: fieldMax(nr) })).map((v) => mutated(b, 'nr-over-max', ['NR_EXCEEDS_MAX'], (_, view) => put(view, b.rootOffset, nr, v)));
  },
};

/** nr_devices other than the number of slots in use. */
const nrMismatch: Mutator = {
  name: 'nr-mismatch',
  rule: 'NR_MISMATCH',
  applies: hasSlots,
  cases: (b) => {
    const { nr } = b.abi.roles;
    const near = fc.integer({ min: 0, max: b.inUse.length + 3 });
    return fc
      .oneof(near.map(BigInt), fc.bigInt({ min: 0n, max: fieldMax(nr) }))
      .filter((v) => v !== BigInt(b.inUse.length))
      .map((v) => mutated(b, 'nr-mismatch', ['NR_MISMATCH'], (_, view) => put(view, b.rootOffset, nr, v)));
  },
};

/** Two in-use entries of a sorted layout swapped. */
const swapEntries: Mutator = {
  name: 'swap-entries',
  rule: 'ENTRIES_UNSORTED',
  applies: (b) => b.abi.semantics === 'sorted' && b.inUse.length >= 2,
  cases: (b) =>
    fc.uniqueArray(pick(b.inUse), { minLength: 2, maxLength: 2 }).map(([i, j]) =>
      mutated(b, 'swap-entries', ['ENTRIES_UNSORTED'], (copy) => {
        const size = b.abi.entry.size;
        const a = copy.slice(b.slotOffset(i!), b.slotOffset(i!) + size);
        copy.copyWithin(b.slotOffset(i!), b.slotOffset(j!), b.slotOffset(j!) + size);
        copy.set(a, b.slotOffset(j!));
      }),
    ),
};

/** One in-use entry's (domain, bdf) written over another's. */
const duplicateEntry: Mutator = {
  name: 'duplicate-entry',
  rule: 'DUPLICATE_DEVICE',
  applies: (b) => b.abi.semantics !== 'skeleton' && b.inUse.length >= 2,
  cases: (b) =>
    fc.uniqueArray(pick(b.inUse), { minLength: 2, maxLength: 2 }).map(([from, to]) =>
      mutated(b, 'duplicate-entry', ['DUPLICATE_DEVICE'], (copy) => {
        for (const f of [b.abi.roles.domain, b.abi.roles.bdf]) copy.copyWithin(b.slotOffset(to!) + f.offset, b.slotOffset(from!) + f.offset, b.slotOffset(from!) + f.offset + f.size);
      }),
    ),
};

/** A non-zero byte in a free slot, outside its refcount. */
const freeSlotWrite: Mutator = {
  name: 'free-slot-write',
  rule: 'FREE_SLOT_NONZERO',
  applies: (b) => b.abi.semantics !== 'skeleton' && b.free.length > 0,
  cases: (b) => {
    const { refcount } = b.abi.roles;
    const bytes = [...Array(b.abi.entry.size).keys()].filter((k) => !hasSlots(b) || !refcount || k < refcount.offset || k >= refcount.offset + refcount.size);
    return fc.tuple(pick(b.free), pick(bytes), fc.integer({ min: 1, max: 255 })).map(([slot, k, v]) => mutated(b, 'free-slot-write', ['FREE_SLOT_NONZERO'], (copy) => (copy[b.slotOffset(slot) + k] = v)));
  },
};

/** An in-use refcount other than 1 under 0/1 semantics. */
const refcountTwo: Mutator = {
  name: 'refcount-not-one',
  rule: 'REFCOUNT_NOT_ONE',
  applies: (b) => b.abi.semantics === 'slots' && b.inUse.length > 0,
  cases: (b) => {
    const f = b.abi.roles.refcount!;
    const v = fc.oneof(fc.constant(2), fc.integer({ min: 2, max: Number(fieldMax(f)) }));
    return fc.tuple(pick(b.inUse), v).map(([slot, n]) => mutated(b, 'refcount-not-one', ['REFCOUNT_NOT_ONE'], (_, view) => put(view, b.slotOffset(slot), f, n)));
  },
};

/** A non-zero reserved / padding field in an in-use entry. */
const reservedWrite: Mutator = {
  name: 'reserved-write',
  rule: 'RESERVED_NONZERO',
  applies: (b) => b.abi.roles.reserved !== undefined && b.abi.semantics !== 'skeleton' && b.inUse.length > 0,
  cases: (b) => {
    const f = b.abi.roles.reserved!;
    return fc.tuple(pick(b.inUse), fc.integer({ min: 1, max: Number(fieldMax(f)) })).map(([slot, n]) => mutated(b, 'reserved-write', ['RESERVED_NONZERO'], (_, view) => put(view, b.slotOffset(slot), f, n)));
  },
};

/** Non-zero bytes appended after everything the root accounts for. */
const trailing: Mutator = {
  name: 'trailing',
  rule: 'TRAILING_NONZERO',
  applies: () => true,
  cases: (b) =>
    fc.uint8Array({ minLength: 1, maxLength: 16 }).filter((t) => t.some((x) => x !== 0)).map((tail) => {
      const root = rootBytes(b);
      const out = new Uint8Array(root.length + tail.length);
      out.set(root);
      out.set(tail, root.length);
      return blobCase(b, 'trailing', ['TRAILING_NONZERO'], out);
    }),
};

/** Something written into the skeleton: nr_devices, or a slot byte. */
const skeletonWrite: Mutator = {
  name: 'skeleton-write',
  rule: 'SKELETON_NOT_EMPTY',
  applies: (b) => b.abi.semantics === 'skeleton',
  cases: (b) => {
    const nr = fc.bigInt({ min: 1n, max: fieldMax(b.abi.roles.nr) }).map((v) => mutated(b, 'skeleton-write', ['SKELETON_NOT_EMPTY'], (_, view) => put(view, b.rootOffset, b.abi.roles.nr, v)));
    if (b.slots === 0) return nr;
    const slot = fc.tuple(fc.nat(b.slots * b.abi.entry.size - 1), fc.integer({ min: 1, max: 255 })).map(([k, v]) =>
      mutated(b, 'skeleton-write', ['SKELETON_NOT_EMPTY'], (copy) => (copy[b.slotOffset(0) + k] = v)),
    );
    return fc.oneof(nr, slot);
  },
};

/** A version field other than the id's PCI_LUO_FLB_VERSION. */
const versionChange: Mutator = {
  name: 'version-change',
  rule: 'VERSION_MISMATCH',
  applies: (b) => b.abi.version !== undefined,
  cases: (b) => {
    const f = b.abi.roles.version!;
    return fc
      .oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: Number(fieldMax(f)) }))
      .filter((v) => v !== b.abi.version)
      .map((v) => mutated(b, 'version-change', ['VERSION_MISMATCH'], (_, view) => put(view, b.rootOffset, f, v)));
  },
};

/** Every mutator: the targeted ones (one rule each), then the untargeted ones. */
export const mutators: readonly Mutator[] = [
  truncate,
  nrOverMax,
  nrMismatch,
  swapEntries,
  duplicateEntry,
  freeSlotWrite,
  refcountTwo,
  reservedWrite,
  trailing,
  skeletonWrite,
  versionChange,
  ...blockMutators,
  ...untargetedMutators,
];
