#!/usr/bin/env node
// Regenerate the rule fixtures: compile fixtures/gen/gen-rule-fixtures.c with gcc in a temp dir and run it.
// Usage: node scripts/gen-rule-fixtures.mjs [OUTDIR]   (default: fixtures/rules/)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = resolve(process.argv[2] ?? join(root, 'fixtures', 'rules'));
const tmp = mkdtempSync(join(tmpdir(), 'kho-abi-gen-rule-fixtures-'));
try {
  const exe = join(tmp, 'gen-rule-fixtures');
  const source = join(root, 'fixtures', 'gen', 'gen-rule-fixtures.c');
  execFileSync('gcc', ['-std=gnu11', '-O1', '-Wall', '-Wextra', '-Werror', '-o', exe, source], { stdio: 'inherit' });
  execFileSync(exe, [out], { stdio: 'inherit' });
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
