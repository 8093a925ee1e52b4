import { fc, test } from '@fast-check/vitest';
import { readdirSync } from 'node:fs';
import { describe, expect } from 'vitest';
import { discoverKhoTrees } from '../../src/discovery/discover.js';
import type { FdtNode } from '../../src/fdt/fdt-node.js';
import { parseFdt } from '../../src/fdt/parse-fdt.js';
import { ImageMemory } from '../../src/fuzz/image-memory.js';
import { elfCoreBytes } from '../../src/memory/write-elf-core.js';
import { compileDts, khoStateChunks, type LuoForm } from '../helpers/kho-state.js';
import { numRuns } from './runs.js';

/** The FDT reader is small and hand-written: it gets five times the runs (100,000 under `npm run fuzz`). */
const runs = numRuns * 5;
const seeds = readdirSync(new URL('../../fixtures/kho-fdt/', import.meta.url))
  .filter((f) => f.endsWith('.dts'))
  .map((f) => compileDts(f.slice(0, -4)));

/** Values that sit on the edges of the reader's checks. */
const EDGE_U32 = [0, 1, 2, 3, 4, 9, 16, 17, 40, 0x7fffffff, 0x80000000, 0xfffffffc, 0xffffffff, 0xd00dfeed];

/** Overwrite bytes or aligned u32s with edge values, then maybe cut the tail: what a corrupted page looks like. */
const edits = fc.array(
  fc.oneof(
    fc.record({ at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
    fc.record({ at: fc.nat(), word: fc.constantFrom(...EDGE_U32) }),
  ),
  { minLength: 1, maxLength: 8 },
);

function mutate(seed: Uint8Array, list: ReadonlyArray<{ at: number; byte?: number; word?: number }>, cut: number): Uint8Array {
  const b = seed.slice();
  const v = new DataView(b.buffer);
  for (const e of list) {
    if (e.byte !== undefined) b[e.at % b.length] = e.byte;
    else v.setUint32((e.at % (b.length >> 2)) << 2, e.word!);
  }
  return cut > 0 ? b.subarray(0, Math.max(0, b.length - cut)) : b;
}

function inside(node: FdtNode, bytes: Uint8Array, depth: number): void {
  expect(depth).toBeLessThanOrEqual(32);
  for (const p of node.properties) expect(p.offset + p.value.length).toBeLessThanOrEqual(bytes.length);
  for (const c of node.children) inside(c, bytes, depth + 1);
}

describe('FDT reader on mutated dtc-built trees', () => {
  test.prop([fc.constantFrom(...seeds.keys()), edits, fc.nat(64)], { numRuns: runs })('never throws; a clean parse keeps every value inside the blob; a problem points inside it', (i, list, cut) => {
    const bytes = mutate(seeds[i]!, list, cut % 3 === 0 ? cut : 0);
    const r = parseFdt(bytes);
    if (r.problem) expect(r.problem.offset).toBeLessThan(Math.max(bytes.length, 40));
    if (r.root) inside(r.root, bytes, 1);
  });
});

const FORMS: LuoForm[] = ['luo-fdt', 'luo-fdt-abihdr', 'luo-ser-v5', 'luo-ser-kb', 'luo-ser-feat'];

describe('discovery on images whose trees, LUO container and FLB table are mutated', () => {
  const images = FORMS.map((form) => {
    const chunks = khoStateChunks(form);
    return { bytes: elfCoreBytes(chunks), targets: chunks.filter((c) => c.pa < 0x100000n) };
  });
  test.prop([fc.constantFrom(...images.keys()), fc.nat(), edits], { numRuns: Math.ceil(runs / 50) })('never throws; every finding is KHO_FDT_INVALID or LUO_INVALID with an address', (i, which, list) => {
    const { bytes, targets } = images[i]!;
    const image = bytes.slice();
    const memory = new ImageMemory(image);
    const t = targets[which % targets.length]!;
    const at = memory.offsetOf(t.pa)!;
    image.set(mutate(t.bytes, list, 0), at);
    for (const tree of discoverKhoTrees(memory).trees) {
      for (const f of tree.findings) {
        expect(['KHO_FDT_INVALID', 'LUO_INVALID']).toContain(f.rule);
        expect(f.address).toBeTypeOf('bigint');
      }
    }
  });
});
