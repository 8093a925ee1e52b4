import type { BlobBytes } from '../codec/blob-bytes.js';
import { decode, type DecodedBlob } from '../codec/decode.js';
import type { DeviceBase } from '../codec/device-list.js';
import { UsageError } from '../errors.js';
import type { AbiId } from '../registry.js';

/** One in-use entry as the diff reports it. */
export interface DiffDevice {
  readonly index: number;
  readonly address: string;
  readonly domain: number;
  readonly bdf: number;
  readonly refcount?: number;
}

/** What changed between two blobs' device sets (each under its own id). */
export interface BlobDiff {
  readonly abiA: AbiId;
  readonly abiB: AbiId;
  readonly countA: number;
  readonly countB: number;
  /** In B, not in A. */
  readonly added: readonly DiffDevice[];
  /** In A, not in B. */
  readonly removed: readonly DiffDevice[];
  /** In both, with another refcount (only when both layouts have one). */
  readonly changed: ReadonlyArray<{ readonly a: DiffDevice; readonly b: DiffDevice }>;
  /** In both, in another slot (only when both layouts place devices in slots). */
  readonly moved: ReadonlyArray<{ readonly a: DiffDevice; readonly b: DiffDevice }>;
  /** Root fields (by C name, in both layouts; addresses left out) whose values differ. */
  readonly root: ReadonlyArray<{ readonly field: string; readonly a: string; readonly b: string }>;
  /** No root field or device added, removed or changed (moves do not count). */
  readonly same: boolean;
}

function keyOf(d: DeviceBase): number {
  return d.domain * 65536 + d.bdf;
}

function byKey(blob: DecodedBlob): Map<number, DiffDevice> {
  if (!blob.devices) {
    throw new UsageError(`${blob.abi} keeps its devices in a KHO block chain: give the memory image that holds it (--memory)`);
  }
  const map = new Map<number, DiffDevice>();
  for (const d of blob.devices) {
    if (map.has(keyOf(d))) continue;
    map.set(keyOf(d), { index: d.index, address: d.address, domain: d.domain, bdf: d.bdf, ...(d.refcount !== undefined ? { refcount: d.refcount } : {}) });
  }
  return map;
}

/**
 * Compare two blobs: root fields, and the device sets by (domain, bdf): added, removed,
 * refcount changes and slot moves. A duplicate key counts once (its first entry).
 */
export function diffBlobs(a: BlobBytes, idA: string, b: BlobBytes, idB: string = idA): BlobDiff {
  return diffDecoded(decode(a, idA), decode(b, idB));
}

/** diffBlobs on blobs already decoded. */
export function diffDecoded(da: DecodedBlob, db: DecodedBlob): BlobDiff {
  const left = byKey(da);
  const right = byKey(db);
  const slots = (d: DecodedBlob) => d.layout.semantics === 'slots' || d.layout.semantics === 'slots-hier';
  const bothSlots = slots(da) && slots(db);
  const bothRefcount = !!da.layout.roles.refcount && !!db.layout.roles.refcount;
  const added = [...right].filter(([k]) => !left.has(k)).map(([, d]) => d);
  const removed = [...left].filter(([k]) => !right.has(k)).map(([, d]) => d);
  const changed: Array<{ a: DiffDevice; b: DiffDevice }> = [];
  const moved: Array<{ a: DiffDevice; b: DiffDevice }> = [];
  for (const [k, x] of left) {
    const y = right.get(k);
    if (!y) continue;
    if (bothRefcount && x.refcount !== y.refcount) changed.push({ a: x, b: y });
    if (bothSlots && x.index !== y.index) moved.push({ a: x, b: y });
  }
  const root = rootChanges(da, db);
  return {
    abiA: da.abi,
    abiB: db.abi,
    countA: left.size,
    countB: right.size,
    added,
    removed,
    changed,
    moved,
    root,
    same: root.length === 0 && added.length === 0 && removed.length === 0 && changed.length === 0,
  };
}

/** The root fields both layouts have (nr_devices, max_nr_devices, version; not the address of a block chain) that differ. */
function rootChanges(da: DecodedBlob, db: DecodedBlob): Array<{ field: string; a: string; b: string }> {
  const a = da.root as Record<string, number | bigint>;
  const b = db.root as Record<string, number | bigint>;
  return da.layout.root.fields
    .filter((f) => !f.flexible && !f.address && db.layout.root.fields.some((g) => g.name === f.name && !g.address) && BigInt(a[f.name]!) !== BigInt(b[f.name]!))
    .map((f) => ({ field: f.name, a: a[f.name]!.toString(), b: b[f.name]!.toString() }));
}
