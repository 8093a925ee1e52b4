import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;

/** Runs `code` as an ES module in a node that reports every module it resolves; returns the list. */
function resolvedBy(code: string): string[] {
  const hook = join(tmpdir(), 'kho-abi-resolve-hook.mjs');
  writeFileSync(hook, "export async function resolve(s, c, next) { const r = await next(s, c); console.error('resolved ' + r.url); return r; }\n");
  const register = `import { register } from 'node:module'; register(${JSON.stringify(`file://${hook}`)});`;
  const r = spawnSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(register)}`, '--input-type=module', '-e', code], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`node exited ${r.status}: ${r.stderr}`);
  return r.stderr.split('\n').filter((l) => l.startsWith('resolved ')).map((l) => l.slice('resolved '.length));
}

describe('package entry points (the built dist, resolved by name as a user resolves them)', () => {
  it("'kho-abi' loads no fast-check", () => {
    const urls = resolvedBy("const m = await import('kho-abi'); if (typeof m.decode !== 'function' || 'fuzz' in m) process.exit(3);");
    expect(urls.some((u) => u.endsWith('/dist/index.js'))).toBe(true);
    expect(urls.filter((u) => u.includes('fast-check'))).toEqual([]);
  });

  it("'kho-abi/fuzz' gives fuzz and fuzzCases, in ESM and CommonJS", () => {
    const esm = execFileSync(process.execPath, ['--input-type=module', '-e', "const m = await import('kho-abi/fuzz'); console.log(typeof m.fuzz, typeof m.fuzzCases, m.FUZZ_DEFAULT_SEED)"], { cwd: root, encoding: 'utf8' });
    const cjs = execFileSync(process.execPath, ['-e', "const m = require('kho-abi/fuzz'); console.log(typeof m.fuzz, typeof m.fuzzCases, m.FUZZ_DEFAULT_SEED)"], { cwd: root, encoding: 'utf8' });
    expect(esm).toMatch(/^function function \d+\n$/);
    expect(cjs).toBe(esm);
  });
});
