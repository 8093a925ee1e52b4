import { describe, expect, it } from 'vitest';
import { HeaderError } from '../../src/header/header-error.js';
import { parseHeader } from '../../src/header/parse-header.js';
import type { IncludeResolver } from '../../src/header/types.js';

/** Hostile headers end in bounded time with one error that says where, never a hang or a crash. */
function failure(text: string, resolveInclude?: IncludeResolver): { message: string; ms: number } {
  const start = performance.now();
  try {
    parseHeader(text, 'x.h', resolveInclude ? { resolveInclude } : {});
  } catch (e) {
    expect(e).toBeInstanceOf(HeaderError);
    return { message: (e as Error).message, ms: performance.now() - start };
  }
  throw new Error('expected a HeaderError');
}

describe('hostile headers are bounded', () => {
  it('an include cycle without guards stops at the nesting limit, naming the files', () => {
    const files: Record<string, string> = { 'a.h': '#include "b.h"\n', 'b.h': '#include "a.h"\n' };
    const r = failure('#include "a.h"\nstruct s { u8 x; };\n', (name) => (files[name] ? { file: name, text: files[name]! } : undefined));
    expect(r.message).toMatch(/^[ab]\.h:1:2: #include nested deeper than 40 \(… [ab]\.h -> [ab]\.h -> [ab]\.h -> [ab]\.h -> [ab]\.h\): an include cycle\?$/);
  });

  it('an include cycle with guards is read once, as cpp reads it', () => {
    const files: Record<string, string> = { 'a.h': '#ifndef A\n#define A\n#include "b.h"\n#define N 2\n#endif\n', 'b.h': '#ifndef B\n#define B\n#include "a.h"\n#endif\n' };
    const h = parseHeader('#include "a.h"\n#include "a.h"\nstruct s { u8 x[N]; };\n', 'x.h', { resolveInclude: (name) => (files[name] ? { file: name, text: files[name]! } : undefined) });
    expect(h.structs[0]!.layout.size).toBe(2);
  });

  it('recursive macros stop expanding as C says, and the leftover name is reported', () => {
    expect(failure('#define A B\n#define B A\nstruct s { u8 x[A]; };\n').message).toBe("x.h:3:17: 'A' is not a defined integer macro or enum constant");
    expect(failure('#define f(x) f(x) + 1\nstruct s { u8 x[f(1)]; };\n').message).toBe("x.h:2:17: 'f(…)' is not a defined function-like macro");
  });

  it('a macro that expands exponentially is stopped by the token budget', () => {
    const defs = ['#define M0 1'];
    for (let i = 1; i <= 40; i++) defs.push(`#define M${i} (M${i - 1} + M${i - 1})`);
    const r = failure(`${defs.join('\n')}\nstruct s { u8 x[M40]; };\n`);
    expect(r.message).toMatch(/^x\.h:42:17: macro expansion produces more than 250000 tokens/);
    expect(r.ms).toBeLessThan(30_000);
  });

  it('deep #if nesting is an error at the limit', () => {
    const r = failure(`${'#if 1\n'.repeat(300)}struct s { u8 x; };\n${'#endif\n'.repeat(300)}`);
    expect(r.message).toBe('x.h:257:2: #if nested deeper than 256');
  });

  it('deeply nested parentheses are an error, not a stack overflow', () => {
    expect(failure(`struct s { u8 x[${'('.repeat(5000)}1${')'.repeat(5000)}]; };`).message).toMatch(/expression nested deeper than 500/);
  });

  it('a 10 MB header is refused before it is read', () => {
    const r = failure(`/* ${'x'.repeat(10 << 20)} */\nstruct s { u8 x; };\n`);
    expect(r.message).toBe('x.h:1:1: larger than 4 MiB; not a header');
    expect(r.ms).toBeLessThan(5_000);
  });

  it('a 0.7 MB header of real declarations is read in bounded time', () => {
    const body = Array.from({ length: 10_000 }, (_, i) => `#define N${i} ${i}\nstruct s${i} { u32 a; u8 b[N${i} % 7 + 1]; };`).join('\n');
    const start = performance.now();
    const h = parseHeader(body, 'big.h');
    expect(h.structs).toHaveLength(10_000);
    expect(performance.now() - start).toBeLessThan(60_000);
  }, 120_000);
});
