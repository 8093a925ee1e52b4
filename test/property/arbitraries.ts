import { fc } from '@fast-check/vitest';
import { slotCount } from '../../bench/oracles.mjs';
import type { ExtraInput } from '../../src/codec/encode.js';
import { intRange } from '../../src/codec/scalar.js';
import type { FieldLayout } from '../../src/layout/engine.js';
import { abis, type PciAbi } from '../../src/registry.js';

/** Property runs per test: modest by default, FUZZ_RUNS when set (`npm run fuzz`). */
export const numRuns = Number(process.env.FUZZ_RUNS) || 200;

/** Every id whose devices live inline after the root. */
export const flatAbis: readonly PciAbi[] = abis.filter((a) => a.storage === 'inline');

/** One device as encode takes it (and decode gives it back, minus `address`). */
export type GenDevice = { index: number; domain: number; bdf: number } & Record<string, number>;

/** A device set the way the kernel writer of an id lays it out, as encode input. */
export interface GenSet {
  readonly root: Record<string, number | bigint>;
  readonly devices: GenDevice[];
}

/** A generated blob: its encode input (with optional size padding and stale bytes). */
export interface GenBlob extends GenSet {
  readonly size?: number;
  readonly extra?: ExtraInput[];
}

/** A value for a root field: bigint for 64-bit fields, number otherwise. */
export function rootValue(f: FieldLayout, n: number): number | bigint {
  return f.elementSize === 8 ? BigInt(n) : n;
}

/** Bytes the root accounts for: the root and every slot (decode's rule). */
export function minSize(abi: PciAbi, slots: number): number {
  return abi.storage === 'inline' ? abi.roles.devices.offset + slots * abi.entry.size : abi.root.size;
}

function fieldArb(f: FieldLayout): fc.Arbitrary<number> {
  const [, max] = intRange(f);
  return fc.oneof(
    { weight: 2, arbitrary: fc.integer({ min: 0, max: 3 }) },
    { weight: 3, arbitrary: fc.integer({ min: 0, max: Number(max) }) },
    { weight: 1, arbitrary: fc.constant(Number(max)) },
  );
}

/** `n` distinct (domain, bdf) pairs, n in [min, max]. */
function keysArb(abi: PciAbi, min: number, max: number): fc.Arbitrary<Array<[number, number]>> {
  return fc.uniqueArray(fc.tuple(fieldArb(abi.roles.domain), fieldArb(abi.roles.bdf)), {
    minLength: min,
    maxLength: max,
    selector: ([d, b]) => d * 0x10000 + b,
  });
}

function rootOf(abi: PciAbi, nr: number, max: number): Record<string, number | bigint> {
  const root: Record<string, number | bigint> = { nr_devices: rootValue(abi.roles.nr, nr) };
  if (abi.roles.max) root[abi.roles.max.name] = rootValue(abi.roles.max, max);
  return root;
}

function device(abi: PciAbi, index: number, [domain, bdf]: [number, number], refcount: number): GenDevice {
  const dev: GenDevice = { index, domain, bdf };
  if (abi.roles.refcount) dev[abi.roles.refcount.name] = refcount;
  if (abi.roles.reserved) dev[abi.roles.reserved.name] = 0;
  return dev;
}

/** Sorted: unique keys ascending by domain << 16 | bdf in devices[0..nr), room for up to 8 more. */
function sortedArb(abi: PciAbi, maxSlots: number): fc.Arbitrary<GenSet> {
  return fc.tuple(keysArb(abi, 0, maxSlots), fc.nat(8)).map(([keys, spare]) => {
    keys.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    return { root: rootOf(abi, keys.length, keys.length + spare), devices: keys.map((k, i) => device(abi, i, k, 1)) };
  });
}

/** Slots: random positions in [0, max) in use (refcount 1, or >= 1 for hierarchical), holes elsewhere. */
function slotsArb(abi: PciAbi, maxSlots: number): fc.Arbitrary<GenSet> {
  const refcount = abi.semantics === 'slots-hier'
    ? fc.oneof(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 0xffff }))
    : fc.constant(1);
  return fc.integer({ min: 0, max: maxSlots }).chain((slots) =>
    fc.tuple(
      fc.array(fc.boolean(), { minLength: slots, maxLength: slots }),
      keysArb(abi, slots, slots),
      fc.array(refcount, { minLength: slots, maxLength: slots }),
    ).map(([used, keys, refs]) => {
      const devices = used.flatMap((u, i) => (u ? [device(abi, i, keys[i]!, refs[i]!)] : []));
      return { root: rootOf(abi, devices.length, slots), devices };
    }),
  );
}

/** Skeleton: slots allocated, nothing written. */
function skeletonArb(abi: PciAbi, maxSlots: number): fc.Arbitrary<GenSet> {
  return fc.integer({ min: 0, max: maxSlots }).map((slots) => ({ root: rootOf(abi, 0, slots), devices: [] }));
}

/** A device set of a flat id laid out the way its kernel writer does. */
export function deviceSetArb(abi: PciAbi, maxSlots = 24): fc.Arbitrary<GenSet> {
  switch (abi.semantics) {
    case 'sorted':
      return sortedArb(abi, maxSlots);
    case 'skeleton':
      return skeletonArb(abi, maxSlots);
    default:
      return slotsArb(abi, maxSlots);
  }
}

/** Offsets encode lets raw bytes go to: free slots (never a free slot's refcount) and trailing bytes. */
export function staleOffsets(abi: PciAbi, set: GenSet, size: number): number[] {
  const { entry, roles } = abi;
  const count = slotCount(abi, set.root);
  const used = new Set(set.devices.map((d) => d.index));
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    if (used.has(i)) continue;
    const at = roles.devices.offset + i * entry.size;
    for (let b = 0; b < entry.size; b++) {
      const inRefcount = roles.refcount && abi.semantics !== 'sorted' && b >= roles.refcount.offset && b < roles.refcount.offset + roles.refcount.size;
      if (!inRefcount) out.push(at + b);
    }
  }
  for (let at = minSize(abi, count); at < size; at++) out.push(at);
  return out;
}

/** Raw byte runs placed only where `allowed` says (ascending offsets), from (position, bytes) seeds. */
function staleRuns(allowed: number[], seeds: Array<{ at: number; bytes: Uint8Array }>): ExtraInput[] {
  if (allowed.length === 0) return [];
  const ok = new Set(allowed);
  const placed = new Map<number, number>();
  for (const { at, bytes } of seeds) {
    let pos = allowed[at % allowed.length]!;
    for (const v of bytes) {
      if (!ok.has(pos)) break;
      placed.set(pos++, v);
    }
  }
  const runs: ExtraInput[] = [];
  for (const pos of [...placed.keys()].sort((a, b) => a - b)) {
    const last = runs.at(-1);
    if (last && last.offset + last.bytes!.length === pos) {
      runs[runs.length - 1] = { offset: last.offset, bytes: Uint8Array.of(...last.bytes!, placed.get(pos)!) };
    } else runs.push({ offset: pos, bytes: Uint8Array.of(placed.get(pos)!) });
  }
  return runs;
}

/** A valid blob of a flat id: a kernel-like device set, optional size padding and stale bytes. */
export function validBlobArb(abi: PciAbi, maxSlots = 24): fc.Arbitrary<GenBlob> {
  const seeds = fc.array(fc.record({ at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 12 }) }), { maxLength: 6 });
  return fc
    .tuple(deviceSetArb(abi, maxSlots), fc.option(fc.nat(40)), seeds)
    .map(([set, pad, stale]) => {
      const slots = slotCount(abi, set.root);
      const size = pad === null ? undefined : minSize(abi, slots) + pad;
      const extra = staleRuns(staleOffsets(abi, set, size ?? minSize(abi, slots)), stale);
      return { ...set, ...(size === undefined ? {} : { size }), ...(extra.length ? { extra } : {}) };
    });
}

/** Dense random bytes or mostly zeros with a few non-zero bytes. */
function bodyArb(length: number): fc.Arbitrary<Uint8Array> {
  const sparse = fc
    .array(fc.tuple(fc.nat(Math.max(0, length - 1)), fc.integer({ min: 1, max: 255 })), { maxLength: 8 })
    .map((hits) => {
      const b = new Uint8Array(length);
      if (length) for (const [at, v] of hits) b[at] = v;
      return b;
    });
  return fc.oneof(fc.uint8Array({ minLength: length, maxLength: length }), sparse);
}

function writeCount(view: DataView, f: FieldLayout, n: number): void {
  if (f.elementSize === 8) view.setBigUint64(f.offset, BigInt(n), !f.bigEndian);
  else if (f.elementSize === 4) view.setUint32(f.offset, n, !f.bigEndian);
  else throw new Error(`${f.name}: unexpected ${f.elementSize}-byte count`);
}

/**
 * Arbitrary bytes with a plausible small root (nr_devices, max_nr_devices near the
 * number of whole slots the length holds) so decode mostly accepts; the rest random.
 */
export function plausibleBytesArb(abi: PciAbi): fc.Arbitrary<Uint8Array> {
  const { root, entry, roles } = abi;
  const bodyLength = fc.tuple(fc.nat(20), fc.oneof(fc.constant(0), fc.nat(entry.size * 2)));
  return fc
    .tuple(bodyLength, fc.nat(22), fc.nat(22))
    .chain(([[slots, tail], nr, max]) =>
      bodyArb(root.size + slots * entry.size + tail).map((b) => {
        const view = new DataView(b.buffer);
        if (abi.storage === 'inline') {
          writeCount(view, roles.nr, nr);
          if (roles.max) writeCount(view, roles.max, max);
        }
        return b;
      }),
    );
}

/** Any bytes, short and long, dense and sparse. */
export const anyBytesArb: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.uint8Array({ maxLength: 64 }),
  fc.nat(300).chain(bodyArb),
);
