import type { FieldLayout } from '../layout/engine.js';
import type { PciAbi } from '../registry.js';
import type { PciNode, WriterOp } from './topology.js';

/** One device as encode takes it (and decode gives it back, minus `address`). */
export type GenDevice = { index: number; domain: number; bdf: number } & Record<string, number>;

/** A device set the way the kernel writer of an id lays it out, as encode input. */
export interface GenSet {
  readonly root: Record<string, number | bigint>;
  readonly devices: GenDevice[];
  /** Entries past the in-use ones that the writer left behind (sorted layouts shift left on unpreserve). */
  readonly stale?: ReadonlyArray<{ readonly index: number; readonly device: GenDevice }>;
  /** Block layouts: entries stored in the chain (the writer's high-water mark). */
  readonly stored?: number;
}

/** A value for a root field: bigint for 64-bit fields, number otherwise. */
export function rootValue(f: FieldLayout, n: number): number | bigint {
  return f.elementSize === 8 ? BigInt(n) : n;
}

/** Slots as a writer sees them: the node in each slot and its refcount (0: free). */
interface Slots {
  readonly node: number[];
  readonly ref: number[];
  nr: number;
}

/**
 * Replay preserve/unpreserve steps through the writer of an id:
 * sorted insertion with shift-left removal (leaving a stale entry past nr_devices), slot
 * allocation scanning from nr_devices (inline) or first-free-else-grow (block chains),
 * hierarchical refcounts over upstream bridges, or nothing at all (skeleton).
 * `capacity` bounds inline layouts (max_nr_devices, or the folio for the first layout).
 */
export function writeDevices(abi: PciAbi, nodes: readonly PciNode[], ops: readonly WriterOp[], capacity: number): GenSet {
  const device = (index: number, n: number, refcount: number): GenDevice => {
    const d: GenDevice = { index, domain: nodes[n]!.domain, bdf: nodes[n]!.bdf };
    if (abi.roles.refcount) d[abi.roles.refcount.name] = refcount;
    if (abi.roles.reserved) d[abi.roles.reserved.name] = 0;
    return d;
  };
  if (abi.semantics === 'skeleton' || nodes.length === 0) return { root: rootOf(abi, 0, capacity), devices: [], stored: 0 };
  if (abi.semantics === 'sorted') {
    const { order, stale } = sortedWriter(nodes, ops, capacity);
    return {
      root: rootOf(abi, order.length, capacity),
      devices: order.map((n, i) => device(i, n, 1)),
      stale: stale.map(([index, n]) => ({ index, device: device(index, n, 1) })),
    };
  }
  const slots = abi.semantics === 'slots-hier' ? hierWriter(abi, nodes, ops, capacity) : slotWriter(abi, nodes, ops, capacity);
  const devices = slots.node.flatMap((n, i) => (slots.ref[i]! > 0 ? [device(i, n, slots.ref[i]!)] : []));
  return { root: rootOf(abi, slots.nr, capacity), devices, stored: slots.node.length };
}

function rootOf(abi: PciAbi, nr: number, capacity: number): Record<string, number | bigint> {
  const root: Record<string, number | bigint> = { nr_devices: rootValue(abi.roles.nr, nr) };
  if (abi.roles.max) root[abi.roles.max.name] = rootValue(abi.roles.max, capacity);
  if (abi.roles.version) root[abi.roles.version.name] = abi.version!;
  if (abi.storage === 'block-chain') root[abi.roles.devices.name] = 0n;
  return root;
}

const keyOf = (nodes: readonly PciNode[], n: number) => nodes[n]!.domain * 0x10000 + nodes[n]!.bdf;

/** Insertion sort by key into devices[0..nr); unpreserve shifts the tail left and leaves the old last entry behind. */
function sortedWriter(nodes: readonly PciNode[], ops: readonly WriterOp[], capacity: number): { order: number[]; stale: Array<[number, number]> } {
  const arr: number[] = [];
  let nr = 0;
  for (const op of ops) {
    const n = op.node % nodes.length;
    const key = keyOf(nodes, n);
    let pos = 0;
    while (pos < nr && keyOf(nodes, arr[pos]!) < key) pos++;
    const present = pos < nr && arr[pos] === n;
    if (op.preserve && !present && nr < capacity) {
      for (let i = nr; i > pos; i--) arr[i] = arr[i - 1]!;
      arr[pos] = n;
      nr++;
    } else if (!op.preserve && present) {
      for (let i = pos; i < nr - 1; i++) arr[i] = arr[i + 1]!;
      nr--;
    }
  }
  return { order: arr.slice(0, nr), stale: arr.slice(nr).map((n, k) => [nr + k, n] as [number, number]) };
}

/** A free slot: inline layouts scan from nr_devices, wrapping at capacity; block chains take the first free one, else grow. */
function allocate(abi: PciAbi, s: Slots, capacity: number): number {
  if (abi.storage === 'inline') {
    if (s.node.length === 0) for (let i = 0; i < capacity; i++) s.node.push(-1), s.ref.push(0);
    for (let k = 0; k < capacity; k++) {
      const i = (s.nr + k) % capacity;
      if (s.ref[i] === 0) return i;
    }
    return -1;
  }
  const free = s.ref.indexOf(0);
  if (free >= 0) return free;
  s.node.push(-1);
  s.ref.push(0);
  return s.node.length - 1;
}

function release(s: Slots, i: number): void {
  s.ref[i] = 0;
  s.node[i] = -1;
  s.nr--;
}

/** Refcount 0/1 slots: preserve takes a free slot (refcount 1, nr++), unpreserve zeroes it (nr--). */
function slotWriter(abi: PciAbi, nodes: readonly PciNode[], ops: readonly WriterOp[], capacity: number): Slots {
  const s: Slots = { node: [], ref: [], nr: 0 };
  const where = new Map<number, number>();
  for (const op of ops) {
    const n = op.node % nodes.length;
    const at = where.get(n);
    if (op.preserve && at === undefined && s.nr < capacity) {
      const i = allocate(abi, s, capacity);
      s.node[i] = n;
      s.ref[i] = 1;
      s.nr++;
      where.set(n, i);
    } else if (!op.preserve && at !== undefined) {
      release(s, at);
      where.delete(n);
    }
  }
  if (abi.storage === 'inline' && s.node.length === 0) for (let i = 0; i < capacity; i++) s.node.push(-1), s.ref.push(0);
  return s;
}

/** Hierarchical refcounts: preserving an endpoint preserves (or counts once more) every upstream bridge. */
function hierWriter(abi: PciAbi, nodes: readonly PciNode[], ops: readonly WriterOp[], capacity: number): Slots {
  const s: Slots = { node: [], ref: [], nr: 0 };
  const where = new Map<number, number>();
  const bridges = new Set(nodes.map((x) => x.parent).filter((p) => p >= 0));
  const endpoints = nodes.map((_, i) => i).filter((i) => !bridges.has(i));
  const path = (n: number) => {
    const out = [];
    for (let at = n; at >= 0; at = nodes[at]!.parent) out.push(at);
    return out;
  };
  for (const op of ops) {
    const e = endpoints[op.node % endpoints.length]!;
    const up = path(e);
    if (op.preserve && !where.has(e)) {
      const missing = up.filter((n) => !where.has(n)).length;
      if (s.nr + missing > capacity) continue;
      for (const n of up) {
        const at = where.get(n);
        if (at !== undefined) s.ref[at]!++;
        else {
          const i = allocate(abi, s, capacity);
          s.node[i] = n;
          s.ref[i] = 1;
          s.nr++;
          where.set(n, i);
        }
      }
    } else if (!op.preserve && where.has(e)) {
      for (const n of up) {
        const at = where.get(n)!;
        if (--s.ref[at]! === 0) {
          release(s, at);
          where.delete(n);
        }
      }
    }
  }
  if (abi.storage === 'inline' && s.node.length === 0) for (let i = 0; i < capacity; i++) s.node.push(-1), s.ref.push(0);
  return s;
}
