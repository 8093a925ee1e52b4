import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * The suites that run once per id (or per pair of ids) of the registry, and the README examples,
 * which name the ids they show (`list pci-v1`, `compat --matrix pci-v2 …`) so that a new id
 * changes none of them.
 */
const PER_ID_SUITES = [
  'test/readme.test.ts',
  'test/layout',
  'test/compat',
  'test/luo-flb',
  'test/gen',
  'test/header/fixtures.test.ts',
  'test/fixtures.test.ts',
  'test/validate/validate.test.ts',
  'test/validate/scan.test.ts',
  'test/cli/core-commands.test.ts',
  'test/cli/evolution-commands.test.ts',
];

const copy = mkdtempSync(join(tmpdir(), 'kho-abi-new-version-'));
afterAll(() => rmSync(copy, { recursive: true, force: true }));

/** Run a command in the copy; a non-zero exit throws with its output. */
const run = (cmd: string, args: readonly string[]) =>
  execFileSync(cmd, args, { cwd: copy, encoding: 'utf8', stdio: 'pipe', maxBuffer: 64 << 20, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } }).replace(/\x1b\[[0-9;]*m/g, '');

describe('a new kernel version is one abi/ file, its header fixture and its C generator scenario', () => {
  it('pci/blk16-v3 (a copy of pci/blk16-v2 with version 3) passes every per-id suite with no test edited', () => {
    const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' }).split('\0').filter(Boolean);
    for (const f of tracked) cpSync(join(root, f), join(copy, f), { recursive: true });
    symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'));
    run(process.execPath, ['scripts/add-kernel-version.mjs', '.']);
    run(process.execPath, ['scripts/gen-fixtures.mjs']);
    run('npm', ['run', 'build', '--silent']);
    expect(readFileSync(join(copy, 'abi', 'index.ts'), 'utf8')).toContain('pci-blk16-v3.js');
    expect(run(process.execPath, ['dist/cli.js', 'list'])).toContain('pci/blk16-v3');
    const out = run(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', '--reporter=dot', ...PER_ID_SUITES]);
    expect(out).toMatch(/Tests\s+\d+ passed \(\d+\)/);
    expect(out).not.toMatch(/\bfailed\b|\bskipped\b/);
  }, 900_000);
});
