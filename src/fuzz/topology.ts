import fc from 'fast-check';
import { intRange } from '../codec/scalar.js';
import type { PciAbi } from '../registry.js';

/** A PCI function in a generated hierarchy: its key and the bridge above it (-1: on a root bus). */
export interface PciNode {
  readonly domain: number;
  readonly bdf: number;
  readonly parent: number;
}

/** One step of a kernel writer: preserve or unpreserve the node a number picks. */
export interface WriterOp {
  readonly node: number;
  readonly preserve: boolean;
}

/** How a node is placed: under which earlier node (mod count), in which domain, at which device/function. */
interface NodeSpec {
  readonly parent: number;
  readonly domain: number;
  readonly dev: number;
  readonly fn: number;
}

/**
 * Nodes from specs: node i hangs below node (parent mod (i + 1)) - 1, which becomes a
 * bridge with the next free bus number of its domain; devfn is bumped until free on its bus.
 */
function buildTopology(domains: readonly number[], rootBus: number, specs: readonly NodeSpec[]): PciNode[] {
  const nodes: PciNode[] = [];
  const secondary = new Map<number, number>();
  const nextBus = new Map<number, number>();
  const taken = new Set<number>();
  for (const s of specs) {
    let parent = (s.parent % (nodes.length + 1)) - 1;
    const domain = parent >= 0 ? nodes[parent]!.domain : domains[s.domain % domains.length]!;
    if (parent >= 0 && !secondary.has(parent)) {
      const bus = nextBus.get(domain) ?? rootBus + 1;
      if (bus > 255) parent = -1;
      else {
        secondary.set(parent, bus);
        nextBus.set(domain, bus + 1);
      }
    }
    const bus = parent >= 0 ? secondary.get(parent)! : rootBus;
    let devfn = (s.dev << 3) | s.fn;
    let tries = 0;
    while (taken.has(domain * 0x10000 + ((bus << 8) | devfn)) && tries++ < 256) devfn = (devfn + 1) & 0xff;
    if (tries > 256) continue;
    const bdf = (bus << 8) | devfn;
    taken.add(domain * 0x10000 + bdf);
    nodes.push({ domain, bdf, parent });
  }
  return nodes;
}

/** A bridge topology of up to `maxNodes` functions over one to three domains the id's domain field holds. */
export function topologyArb(abi: PciAbi, maxNodes: number): fc.Arbitrary<PciNode[]> {
  const [, maxDomain] = intRange(abi.roles.domain);
  const domain = fc.oneof(
    { weight: 3, arbitrary: fc.integer({ min: 0, max: 3 }) },
    { weight: 2, arbitrary: fc.integer({ min: 0, max: Number(maxDomain) }) },
    { weight: 1, arbitrary: fc.constant(Number(maxDomain)) },
  );
  const spec = fc.record({ parent: fc.nat(64), domain: fc.nat(2), dev: fc.nat(31), fn: fc.oneof(fc.constant(0), fc.nat(7)) });
  return fc
    .tuple(fc.uniqueArray(domain, { minLength: 1, maxLength: 3 }), fc.oneof(fc.constant(0), fc.nat(255)), fc.array(spec, { maxLength: maxNodes }))
    .map(([domains, rootBus, specs]) => buildTopology(domains, rootBus, specs));
}

/** Preserve / unpreserve steps, mostly preserves. */
export function writerOpsArb(maxLength: number): fc.Arbitrary<WriterOp[]> {
  const op = fc.record({ node: fc.nat(), preserve: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }) });
  return fc.array(op, { maxLength });
}

/** A deterministic xorshift stream, for bulk topologies too large to shrink element by element. */
function xorshift(seed: number): () => number {
  let s = seed | 0 || 0x9e3779b9;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 0x1_0000_0000;
  };
}

/** A large topology (for chains of several KHO blocks): `count` functions and a preserve-all-then-drop-some history. */
export function bulkHistory(seed: number, count: number): { nodes: PciNode[]; ops: WriterOp[] } {
  const rand = xorshift(seed);
  const pick = (n: number) => Math.floor(rand() * n);
  const specs = Array.from({ length: count }, () => ({ parent: pick(8) === 0 ? 0 : pick(count), domain: pick(3), dev: pick(32), fn: pick(8) }));
  const nodes = buildTopology([0, 1 + pick(0xfffe)], 0, specs);
  const ops: WriterOp[] = nodes.map((_, i) => ({ node: i, preserve: true }));
  for (let k = 0; k < nodes.length / 10; k++) ops.push({ node: pick(nodes.length), preserve: false });
  return { nodes, ops };
}
