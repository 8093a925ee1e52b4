#!/usr/bin/env node
// `npm run demo`: the main jobs of kho-abi on a bundled fixture, as a user runs them.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const cli = new URL('../dist/cli.js', import.meta.url).pathname;
const blob = 'fixtures/pci-v3__flat8-max32/unpreserve.bin';
const abi = 'pci-v3/flat8-max32';

/** Run kho-abi, print the command and its output; a non-zero exit is shown, not fatal. */
function show(args, { input, lines } = {}) {
  console.log(`\n$ kho-abi ${args.join(' ')}`);
  let out;
  try {
    out = execFileSync(process.execPath, [cli, ...args], { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (e) {
    out = `${e.stdout}${e.stderr}(exit ${e.status})\n`;
  }
  const text = out.trimEnd().split('\n');
  console.log(lines && text.length > lines ? [...text.slice(0, lines), `… (${text.length - lines} more lines)`].join('\n') : text.join('\n'));
  return out;
}

console.log(`kho-abi demo: a v6 kernel (${abi}) preserved devices behind bridges, then unpreserved some.`);
show(['decode', blob, '--abi', abi]);
show(['hexdump', blob, '--abi', abi], { lines: 16 });

const json = show(['decode', blob, '--abi', abi, '--json'], { lines: 12 });
const dir = mkdtempSync(join(tmpdir(), 'kho-abi-demo-'));
const out = join(dir, 'roundtrip.bin');
let same;
try {
  show(['encode', '-', '-o', out], { input: json });
  same = Buffer.compare(readFileSync(blob), readFileSync(out)) === 0;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(`\ndecode --json | encode reproduces ${blob} byte for byte: ${same ? 'yes' : 'NO'}`);
if (!same) process.exit(1);
