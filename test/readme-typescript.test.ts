import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

/** The ```ts blocks of README.md that import kho-abi: the library examples a user copies. */
function libraryExamples(): string[] {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  return [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!).filter((code) => code.includes("from 'kho-abi'"));
}

describe('README TypeScript examples', () => {
  it('typecheck against the library (tsc, strict)', async () => {
    const examples = libraryExamples();
    expect(examples.length).toBeGreaterThanOrEqual(2);
    const dir = join(root, 'test', '.readme-examples');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    examples.forEach((code, i) => {
      // Values the examples take as given (a blob read elsewhere) are declared, not invented.
      const prelude = 'declare const a: Uint8Array, b: Uint8Array;\nexport {};\n';
      const body = code.replace(/from 'kho-abi'/g, "from '../../src/index.js'");
      const needsBytes = !/const bytes\b/.test(body) ? 'declare const bytes: Uint8Array;\n' : '';
      writeFileSync(join(dir, `example-${i}.ts`), prelude + needsBytes + body);
    });
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ extends: '../../tsconfig.json', include: ['*.ts'] }));
    const result = await new Promise<{ code: number; out: string }>((resolve) => {
      execFile(process.execPath, [tsc, '-p', dir], (err, stdout, stderr) => resolve({ code: err ? 1 : 0, out: `${stdout}${stderr}` }));
    });
    rmSync(dir, { recursive: true, force: true });
    expect(result.out).toBe('');
    expect(result.code).toBe(0);
  });
});
