import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseHeader } from '../../src/header/parse-header.js';
import { renderCAsserts } from '../../src/layout/c-render.js';
import { bitFieldProbe } from '../helpers/bit-field-probe.js';
import { compileC } from '../helpers/gcc.js';

/**
 * Layout drift guard: random structs rendered as a kernel-style header, read by our parser,
 * laid out by our engine, and checked by gcc and by clang through _Static_assert on every size,
 * alignment, offset and member size, and by a program each builds for every bit-field's bits. Members
 * include bit-fields (named, unnamed, `:0`), enums of 4 and 8 bytes, and anonymous unions
 * and structs. FUZZ_RUNS counts structs; the compilers see them in batches of BATCH.
 */
const STRUCTS = Number(process.env.FUZZ_RUNS ?? 300);
const BATCH = 50;
const run = promisify(execFile);

const SCALARS = ['u8', 'u16', 'u32', 'u64', 's8', 's16', 's32', 's64', '__le16', '__le32', '__le64', '__be16', '__be32', '__be64', 'char', '__u32', '__s64', 'enum fz4', 'enum fz8', 'bool', 'unsigned int', 'unsigned short'];
const BITS: Record<string, number> = { u8: 8, s8: 8, char: 8, u16: 16, s16: 16, 'unsigned short': 16, u32: 32, s32: 32, __u32: 32, 'unsigned int': 32, u64: 64, s64: 64, __s64: 64, 'enum fz4': 32, bool: 1 };
const ENUMS = 'enum fz4 { FZ4_A = 1, FZ4_B = 0x7fffffff };\nenum fz8 { FZ8_A = 0x100000000ULL };\n';
const ALIGNS = [1, 2, 4, 8, 16, 32];

const fieldArb = fc.record({
  scalar: fc.constantFrom(...SCALARS),
  nested: fc.option(fc.nat(), { freq: 3 }),
  count: fc.option(fc.integer({ min: 1, max: 5 }), { freq: 2 }),
  countStyle: fc.constantFrom('literal', 'macro', 'expr'),
  aligned: fc.option(fc.constantFrom(...ALIGNS), { freq: 4 }),
  alignStyle: fc.constantFrom('__aligned', 'attribute'),
  bits: fc.option(fc.integer({ min: 0, max: 64 }), { freq: 3 }),
  named: fc.boolean(),
  anon: fc.option(fc.constantFrom('union', 'struct'), { freq: 6 }),
});

const structArb = fc.record({
  union: fc.constantFrom(false, false, false, true),
  packed: fc.boolean(),
  aligned: fc.option(fc.constantFrom(...ALIGNS), { freq: 3 }),
  attrStyle: fc.constantFrom('kernel', 'attribute', 'combined', 'leading'),
  fields: fc.array(fieldArb, { minLength: 1, maxLength: 6 }),
  flexible: fc.option(fc.constantFrom('u8', 'u16', 'u32', 'u64'), { freq: 4 }),
});

type StructSpec = typeof structArb extends fc.Arbitrary<infer T> ? T : never;

const PRELUDE = `typedef unsigned char u8; typedef unsigned short u16; typedef unsigned int u32; typedef unsigned long long u64;
typedef signed char s8; typedef short s16; typedef int s32; typedef long long s64;
typedef u16 __le16; typedef u32 __le32; typedef u64 __le64; typedef u16 __be16; typedef u32 __be32; typedef u64 __be64;
typedef u32 __u32; typedef s64 __s64; typedef _Bool bool;
#define __packed __attribute__((packed))
#define __aligned(x) __attribute__((aligned(x)))
#define offsetof(T, m) __builtin_offsetof(T, m)
`;

/** A batch of specs as header text; struct i may nest any earlier one without a flexible array. */
function render(specs: readonly StructSpec[], batch: number): string {
  const out: string[] = [];
  const nestable: string[] = [];
  specs.forEach((s, i) => {
    const name = `f${batch}_${i}`;
    const tag = s.union ? 'union' : 'struct';
    const members = s.fields.map((f, k) => {
      if (f.anon !== null) return `\t${f.anon} {\n\t\tu32 a${k};\n\t\t${f.scalar} b${k};\n\t\tu16 c${k}[3];\n\t};`;
      const width = BITS[f.scalar];
      if (f.bits !== null && width !== undefined && f.nested === null) {
        const w = Math.min(f.bits, width);
        return w === 0 || !f.named ? `\t${f.scalar} :${w};` : `\t${f.scalar} m${k}:${w};`;
      }
      const type = f.nested !== null && nestable.length ? nestable[f.nested % nestable.length]! : f.scalar;
      let dims = '';
      if (f.count !== null) {
        const macro = `${name.toUpperCase()}_N${k}`;
        if (f.countStyle === 'literal') dims = `[${f.count}]`;
        else {
          out.push(`#define ${macro} ${f.countStyle === 'macro' ? f.count : `(2 * ${f.count} - ${f.count})`}`);
          dims = `[${macro}]`;
        }
      }
      const align = f.aligned === null ? '' : f.alignStyle === '__aligned' ? ` __aligned(${f.aligned})` : ` __attribute__((aligned(${f.aligned})))`;
      return `\t${type} m${k}${dims}${align};`;
    });
    const flex = s.flexible !== null && !s.union;
    if (flex && members.every((m) => /^\t\S+( \S+)? :\d+;$/.test(m))) members.unshift('\tu8 first;'); // C wants a named member before a flexible one
    if (flex) members.push(`\t${s.flexible} tail[];`);
    const attrs: string[] = [];
    let lead = '';
    if (s.attrStyle === 'combined' && (s.packed || s.aligned !== null)) {
      attrs.push(`__attribute__((${[s.packed ? 'packed' : '', s.aligned !== null ? `aligned(${s.aligned})` : ''].filter(Boolean).join(', ')}))`);
    } else {
      if (s.packed) {
        if (s.attrStyle === 'leading') lead = '__attribute__((__packed__)) ';
        else attrs.push(s.attrStyle === 'kernel' ? '__packed' : '__attribute__((packed))');
      }
      if (s.aligned !== null) attrs.push(s.attrStyle === 'kernel' ? `__aligned(${s.aligned})` : `__attribute__((aligned(${s.aligned})))`);
    }
    out.push(`/**\n * ${tag} ${name} - fuzz case.\n * @m0: first member\n */\n${tag} ${lead}${name} {\n${members.join('\n')}\n}${attrs.length ? ` ${attrs.join(' ')}` : ''};`);
    if (!flex) nestable.push(`${tag} ${name}`);
  });
  return ENUMS + out.join('\n');
}

/** The compilers that lay the random structs out: the kernel builds with either. */
const COMPILERS = ['gcc', 'clang'] as const;
type Compiler = (typeof COMPILERS)[number];

/** The compiler's complaints about the source ('' when it builds); a missing compiler throws, so the test cannot pass without it. */
async function compile(cc: Compiler, source: string, out?: string): Promise<string> {
  const r = await compileC(source, cc, false, out);
  return r.ok ? '' : r.stderr;
}

/** The first error lines of a compiler, labelled with it, so a failure says which compiler disagreed. */
const errors = (cc: Compiler, stderr: string) => `${cc}: ${stderr.split('\n').filter((l) => /error/.test(l)).slice(0, 3).join('\n')}`;

describe('layout fuzz: parser + engine agree with gcc and clang', () => {
  let batch = 0;
  it(`${STRUCTS} random structs in batches of ${BATCH}, each batch through both compilers`, async () => {
    // A missing compiler fails here at once, not after fast-check has shrunk a failure it cannot cause.
    for (const cc of COMPILERS) expect(await compile(cc, 'int x;')).toBe('');
    await fc.assert(
      fc.asyncProperty(fc.array(structArb, { minLength: BATCH, maxLength: BATCH }), async (specs) => {
        const header = render(specs, batch++);
        const parsed = parseHeader(header, 'fuzz.h');
        const layouts = parsed.structs.map((s) => s.layout);
        const source = `${PRELUDE}${header}\n${renderCAsserts(layouts)}`;
        const probe = bitFieldProbe(layouts);
        for (const cc of COMPILERS) {
          expect(errors(cc, await compile(cc, source))).toBe(`${cc}: `);
          if (probe.expected.length === 0) continue;
          const dir = mkdtempSync(join(tmpdir(), 'kho-abi-fuzz-'));
          try {
            expect(errors(cc, await compile(cc, `${PRELUDE}${header}\n${probe.source}`, join(dir, 'probe')))).toBe(`${cc}: `);
            const { stdout } = await run(join(dir, 'probe'));
            expect({ cc, bits: stdout.trim().split('\n') }).toEqual({ cc, bits: probe.expected });
          } finally {
            rmSync(dir, { recursive: true, force: true });
          }
        }
      }),
      { numRuns: Math.max(1, Math.ceil(STRUCTS / BATCH)) },
    );
  }, 600_000);
});
