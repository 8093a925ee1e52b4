import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseHeader } from '../../src/header/parse-header.js';
import { renderCAsserts } from '../../src/layout/c-render.js';

/**
 * Layout drift guard: random structs rendered as a kernel-style header, read by our parser,
 * laid out by our engine, and checked by gcc through _Static_assert on every size, alignment,
 * offset and member size. FUZZ_RUNS counts structs; gcc sees them in batches of BATCH.
 */
const STRUCTS = Number(process.env.FUZZ_RUNS ?? 300);
const BATCH = 50;
const run = promisify(execFile);

const SCALARS = ['u8', 'u16', 'u32', 'u64', 's8', 's16', 's32', 's64', '__le16', '__le32', '__le64', '__be16', '__be32', '__be64', 'char', '__u32', '__s64'];
const ALIGNS = [1, 2, 4, 8, 16, 32];

const fieldArb = fc.record({
  scalar: fc.constantFrom(...SCALARS),
  nested: fc.option(fc.nat(), { freq: 3 }),
  count: fc.option(fc.integer({ min: 1, max: 5 }), { freq: 2 }),
  countStyle: fc.constantFrom('literal', 'macro', 'expr'),
  aligned: fc.option(fc.constantFrom(...ALIGNS), { freq: 4 }),
  alignStyle: fc.constantFrom('__aligned', 'attribute'),
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
typedef u32 __u32; typedef s64 __s64;
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
  return out.join('\n');
}

async function gcc(source: string): Promise<string> {
  const child = run('gcc', ['-std=gnu11', '-x', 'c', '-c', '-o', '/dev/null', '-']);
  child.child.stdin!.end(source);
  try {
    await child;
    return '';
  } catch (e) {
    return (e as { stderr?: string }).stderr ?? String(e);
  }
}

describe('layout fuzz: parser + engine agree with gcc', () => {
  let batch = 0;
  it(`${STRUCTS} random structs in batches of ${BATCH}`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(structArb, { minLength: BATCH, maxLength: BATCH }), async (specs) => {
        const header = render(specs, batch++);
        const parsed = parseHeader(header, 'fuzz.h');
        const source = `${PRELUDE}${header}\n${renderCAsserts(parsed.structs.map((s) => s.layout))}`;
        expect(await gcc(source)).toBe('');
      }),
      { numRuns: Math.max(1, Math.ceil(STRUCTS / BATCH)), endOnFailure: true },
    );
  }, 600_000);
});
