#!/usr/bin/env node
// Regenerate fixtures: compile one of our C generators with gcc in a temp dir and run it.
// Usage: node scripts/gen-fixtures.mjs [layouts|rules] [OUTDIR]
//   layouts (default): fixtures/gen/gen-fixtures.c, kernel-writer blobs of every id, into fixtures/
//   rules: fixtures/gen/gen-rule-fixtures.c, blobs broken on purpose per rule, into fixtures/rules/
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const GENERATORS = {
  layouts: { program: 'gen-fixtures', out: ['fixtures'] },
  rules: { program: 'gen-rule-fixtures', out: ['fixtures', 'rules'] },
};
const args = process.argv.slice(2);
const kind = args[0] in GENERATORS ? args.shift() : 'layouts';
const { program, out: defaultOut } = GENERATORS[kind];
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = resolve(args[0] ?? join(root, ...defaultOut));
const tmp = mkdtempSync(join(tmpdir(), `kho-abi-${program}-`));
try {
  const exe = join(tmp, program);
  const source = join(root, 'fixtures', 'gen', `${program}.c`);
  execFileSync('gcc', ['-std=gnu11', '-O1', '-Wall', '-Wextra', '-Werror', '-o', exe, source], { stdio: 'inherit' });
  execFileSync(exe, [out], { stdio: 'inherit' });
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
