import fc from 'fast-check';
import type { ExtraInput } from '../codec/encode.js';
import { claimedSlots } from '../codec/slots.js';
import type { FieldLayout } from '../layout/engine.js';
import { abis, type PciAbi } from '../registry.js';
import { topologyArb, writerOpsArb } from './topology.js';
import { rootValue, writeDevices, type GenDevice, type GenSet } from './kernel-writers.js';

/** Every id whose devices live inline after the root. */
export const flatAbis: readonly PciAbi[] = abis.filter((a) => a.storage === 'inline');

/** A generated blob: its encode input (with optional size padding and stale bytes). */
export interface GenBlob extends GenSet {
  readonly size?: number;
  readonly extra?: ExtraInput[];
}

/** Entry slots a root accounts for, as decode counts them (0 for block layouts). */
export function slotCount(abi: PciAbi, root: Readonly<Record<string, number | bigint>>): number {
  if (abi.storage !== 'inline') return 0;
  return Number(claimedSlots(abi, root[abi.roles.nr.name]!, abi.roles.max ? root[abi.roles.max.name] : undefined).count);
}

/** Bytes the root accounts for: the root and every slot (decode's rule). */
export function minSize(abi: PciAbi, slots: number): number {
  return abi.storage === 'inline' ? abi.roles.devices.offset + slots * abi.entry.size : abi.root.size;
}

/** A device set of an id as its kernel writer leaves it, after preserve/unpreserve over a bridge topology. */
export function deviceSetArb(abi: PciAbi, maxSlots = 24): fc.Arbitrary<GenSet> {
  return fc
    .tuple(topologyArb(abi, maxSlots + 8), fc.integer({ min: 0, max: maxSlots }), writerOpsArb(maxSlots * 2))
    .map(([nodes, capacity, ops]) => writeDevices(abi, nodes, ops, capacity));
}

/** Offsets where raw bytes keep a flat blob valid: trailing bytes (and stale-free slots but the skeleton's and a refcount). */
function staleOffsets(abi: PciAbi, set: GenSet, size: number, slotsToo = true): number[] {
  const { entry, roles } = abi;
  const count = slotCount(abi, set.root);
  const used = new Set(set.devices.map((d) => d.index));
  const out: number[] = [];
  for (let i = 0; slotsToo && i < count; i++) {
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
function staleRuns(allowed: number[], seeds: Array<{ at: number; bytes: Uint8Array }>, fixed: ReadonlyMap<number, number>): ExtraInput[] {
  const ok = new Set(allowed);
  const placed = new Map<number, number>(fixed);
  for (const { at, bytes } of allowed.length ? seeds : []) {
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
  return runs.filter((r) => r.bytes!.some((b) => b !== 0));
}

/** The bytes of entries the writer left behind past nr_devices (sorted layouts), by offset. */
function staleEntryBytes(abi: PciAbi, set: GenSet): Map<number, number> {
  const out = new Map<number, number>();
  const buf = new DataView(new ArrayBuffer(abi.entry.size));
  for (const { index, device } of set.stale ?? []) {
    for (const f of abi.entry.fields) {
      if (f.size === 4) buf.setUint32(f.offset, device[f.name] ?? 0, !f.bigEndian);
      else if (f.size === 2) buf.setUint16(f.offset, device[f.name] ?? 0, !f.bigEndian);
      else buf.setUint8(f.offset, device[f.name] ?? 0);
    }
    const at = abi.roles.devices.offset + index * abi.entry.size;
    for (let b = 0; b < abi.entry.size; b++) if (buf.getUint8(b) !== 0) out.set(at + b, buf.getUint8(b));
  }
  return out;
}

/**
 * A valid blob of a flat id: a kernel-like device set, the stale entries its writer
 * leaves, optional size padding and stale bytes where the kernel tolerates them.
 */
export function validBlobArb(abi: PciAbi, maxSlots = 24): fc.Arbitrary<GenBlob> {
  const seeds = fc.array(fc.record({ at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 12 }) }), { maxLength: 6 });
  return fc
    .tuple(deviceSetArb(abi, maxSlots), fc.option(fc.nat(40)), seeds)
    .map(([set, pad, stale]) => {
      const slots = slotCount(abi, set.root);
      const natural = minSize(abi, slots);
      const fixed = staleEntryBytes(abi, set);
      const size = pad === null && [...fixed.keys()].every((at) => at < natural) ? undefined : Math.max(natural + (pad ?? 0), ...[...fixed.keys()].map((at) => at + 1));
      const extra = staleRuns(staleOffsets(abi, set, size ?? natural, abi.semantics !== 'skeleton'), stale, fixed);
      const { stale: _s, stored: _t, ...plain } = set;
      return { ...plain, ...(size === undefined ? {} : { size }), ...(extra.length ? { extra } : {}) };
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
  else view.setUint32(f.offset, n, !f.bigEndian);
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
export const anyBytesArb: fc.Arbitrary<Uint8Array> = fc.oneof(fc.uint8Array({ maxLength: 64 }), fc.nat(300).chain(bodyArb));
