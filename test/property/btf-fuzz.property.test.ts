import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregateNames, btfReport, readBtf, type Btf } from '../../src/btf/index.js';
import { UsageError } from '../../src/errors.js';
import { formatStruct } from '../../src/format/pahole.js';
import { structJson } from '../../src/layout/struct-json.js';
import { buildBtfObject, scratchDir, tool } from '../helpers/btf-producers.js';
import { extractBtf, rawHeader } from '../helpers/btf-records.js';

/**
 * BTF fuzzing on mutated real objects: gcc -gbtf, pahole -J and clang outputs (ELF and raw) and a
 * split module/base pair, damaged by word and byte writes and truncation. Every case must read
 * and lay out, or fail with the library's input error, in bounded time: never a crash.
 * `npm run fuzz` (FUZZ_RUNS=20000) runs five times FUZZ_RUNS cases.
 */
const RUNS = Number(process.env.FUZZ_RUNS) ? Number(process.env.FUZZ_RUNS) * 5 : 1000;
const SOURCE = fileURLToPath(new URL('../../fixtures/btf/layouts.c', import.meta.url));
const MAX_CASE_MS = 2000;

interface Seed {
  readonly name: string;
  readonly bytes: Uint8Array;
  /** Where the type records are (raw BTF only): mutations aim there half the time. */
  readonly types?: readonly [number, number];
  readonly base?: Btf;
}

let dir: string;
const seeds: Seed[] = [];

beforeAll(() => {
  dir = scratchDir();
  const raw = (name: string, object: string, base?: Btf): Seed => {
    const bytes = extractBtf(object, join(dir, `${name}.btf`));
    const h = rawHeader(bytes);
    return { name, bytes, types: [h.hdrLen + h.typeOff, h.hdrLen + h.typeOff + h.typeLen], ...(base ? { base } : {}) };
  };
  const gcc = buildBtfObject('gcc -gbtf', SOURCE, join(dir, 'gcc.o'));
  const pahole = buildBtfObject('gcc -g + pahole -J', SOURCE, join(dir, 'pahole.o'));
  const clang = buildBtfObject('clang --target=bpf -g', SOURCE, join(dir, 'clang.o'));
  seeds.push({ name: 'gcc ELF', bytes: gcc.bytes }, { name: 'clang ELF', bytes: clang.bytes });
  seeds.push(raw('gcc', gcc.path), raw('pahole', pahole.path));
  tool('gcc', ['-g', '-c', SOURCE, '-o', join(dir, 'mod.o')], 'gcc');
  tool('pahole', ['-J', '--btf_base', pahole.path, join(dir, 'mod.o')], 'dwarves');
  seeds.push(raw('split module', join(dir, 'mod.o'), readBtf(pahole.bytes)));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const INTERESTING = [0, 1, 2, 3, 4, 8, 12, 0x7f, 0xff, 0xffff, 0x10000, 0xffffff, 0x1000000, 0x7fffffff, 0x80000000, 0xffffffff];

const mutation = fc.oneof(
  fc.record({ op: fc.constant('word' as const), where: fc.double({ min: 0, max: 1, noNaN: true }), typed: fc.boolean(), value: fc.oneof(fc.constantFrom(...INTERESTING), fc.nat({ max: 200 }), fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 1, max: 31 }).map((k) => (k << 24) >>> 0)) }),
  fc.record({ op: fc.constant('byte' as const), where: fc.double({ min: 0, max: 1, noNaN: true }), typed: fc.boolean(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ op: fc.constant('truncate' as const), where: fc.double({ min: 0, max: 1, noNaN: true }), typed: fc.constant(false), value: fc.constant(0) }),
);

/** One damage: a u32 or byte written at a relative position (in the type section when `typed`), or a cut. */
interface Mutation {
  readonly op: 'word' | 'byte' | 'truncate';
  readonly where: number;
  readonly typed: boolean;
  readonly value: number;
}

function mutate(seed: Seed, ms: readonly Mutation[]): Uint8Array {
  let bytes = new Uint8Array(seed.bytes);
  for (const m of ms) {
    const [lo, hi] = m.typed && seed.types ? seed.types : [0, bytes.length];
    const at = Math.min(bytes.length - 1, lo + Math.floor(m.where * Math.max(1, hi - lo)));
    if (m.op === 'truncate') bytes = bytes.subarray(0, at);
    else if (m.op === 'byte') bytes[at] = m.value;
    else if (at + 4 <= bytes.length) new DataView(bytes.buffer, bytes.byteOffset).setUint32(at & ~3, m.value >>> 0, true);
  }
  return bytes;
}

describe('BTF reader on mutated real objects', () => {
  it(`reads or refuses with an input error, never crashes (${RUNS} cases)`, () => {
    let read = 0;
    fc.assert(
      fc.property(fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 3 }), (pick, ms) => {
        const seed = seeds[pick % seeds.length]!;
        const bytes = mutate(seed, ms);
        const t0 = performance.now();
        try {
          const btf = readBtf(bytes, { file: seed.name, ...(seed.base ? { base: seed.base } : {}) });
          const report = btfReport(btf, aggregateNames(btf, false).slice(0, 40));
          for (const s of report.structs) {
            formatStruct(s);
            structJson(s);
          }
          read++;
        } catch (e) {
          if (!(e instanceof UsageError)) throw e;
          expect(e.message.length).toBeLessThan(2000);
        }
        expect(performance.now() - t0).toBeLessThan(MAX_CASE_MS);
      }),
      { numRuns: RUNS },
    );
    // Some mutations must leave a readable BTF, or the property tests only the refusal path.
    expect(read).toBeGreaterThan(RUNS / 50);
  });
});
