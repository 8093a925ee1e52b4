import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { cAsserts } from '../../src/gen/c-asserts.js';
import { parseHeader } from '../../src/header/parse-header.js';
import { abis } from '../../src/registry.js';

const run = promisify(execFile);

/** Freestanding stand-ins for the kernel headers the fixtures include. */
const STUBS: Record<string, string> = {
  'linux/types.h': `#pragma once
typedef unsigned char u8; typedef unsigned short u16; typedef unsigned int u32; typedef unsigned long long u64;
typedef signed char s8; typedef short s16; typedef int s32; typedef long long s64;
#define __packed __attribute__((__packed__))
#define __aligned(x) __attribute__((__aligned__(x)))
#define offsetof(T, m) __builtin_offsetof(T, m)
#define static_assert _Static_assert
`,
  'linux/bug.h': '#pragma once\n#include <linux/types.h>\n',
};

/** The compilers it must build with; each is required (.ci/run installs gcc and clang): a missing one fails the test. */
const TARGETS: Record<string, { cc: string; args: string[] }> = {
  'gcc x86-64': { cc: 'gcc', args: ['-c', '-o', '/dev/null'] },
  'gcc -m32': { cc: 'gcc', args: ['-m32', '-c', '-o', '/dev/null'] },
  'clang aarch64': { cc: 'clang', args: ['--target=aarch64-linux-gnu', '-fsyntax-only'] },
};

let dir: string;

/** The compiler's complaints about one file ('' when it compiles); a compiler that is not there throws. */
async function compile(target: string, file: string): Promise<string> {
  const t = TARGETS[target]!;
  try {
    await run(t.cc, ['-std=gnu2x', '-nostdinc', '-Werror', '-I', join(dir, 'include'), ...t.args, file]);
    return '';
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: string };
    if (err.code === 'ENOENT') throw new Error(`${t.cc} not found on PATH: gen c-asserts output is checked with gcc and clang (apt-get install gcc clang)`);
    if (err.stderr === undefined) throw err;
    return err.stderr;
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kho-casserts-'));
  for (const [name, text] of Object.entries(STUBS)) {
    mkdirSync(join(dir, 'include', name, '..'), { recursive: true });
    writeFileSync(join(dir, 'include', name), text);
  }
});

describe('gen c-asserts compiles against our header fixtures', () => {
  it.each(Object.keys(TARGETS))('%s: every id', async (target) => {
    const errors = await Promise.all(
      abis.map(async (a) => {
        const header = readFileSync(new URL(`../../fixtures/headers/${a.id.replace('/', '-')}.h`, import.meta.url), 'utf8');
        const file = join(dir, `${a.id.replace('/', '-')}-${target.replace(/\W/g, '')}.c`);
        writeFileSync(file, `${header}\n${cAsserts(a.id)}`);
        return compile(target, file);
      }),
    );
    expect(errors.filter(Boolean)).toEqual([]);
  });

  it.each(Object.keys(TARGETS))('%s: a wrong layout does not compile (the asserts bite)', async (target) => {
    const header = readFileSync(new URL('../../fixtures/headers/pci-v1-flat8-max64.h', import.meta.url), 'utf8');
    const file = join(dir, `wrong-${target.replace(/\W/g, '')}.c`);
    writeFileSync(file, `${header}\n${cAsserts('pci-v1/flat8-max32')}`);
    expect(await compile(target, file)).toMatch(/static.?assert(ion)? failed/);
  });

  it('our own header parser evaluates the generated asserts, all holding', () => {
    for (const a of abis) {
      const header = readFileSync(new URL(`../../fixtures/headers/${a.id.replace('/', '-')}.h`, import.meta.url), 'utf8');
      const h = parseHeader(`${header}\n${cAsserts(a.id)}`, 'x.h');
      expect(h.staticAsserts.length).toBeGreaterThan(10);
      expect(h.staticAsserts.filter((s) => !s.holds)).toEqual([]);
    }
  });
});
