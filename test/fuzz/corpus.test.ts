import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CorpusSidecar } from '../../src/fuzz/corpus.js';
import { MAX_HEADER_CASE } from '../../src/fuzz/c-header.js';
import { validate } from '../../src/validate/index.js';
import { ImageMemory } from '../../src/fuzz/image-memory.js';
import { readPciBlob } from '../../src/codec/read-pci-blob.js';
import { getAbi } from '../../src/registry.js';
import { mutators } from '../../src/fuzz/mutators.js';
import { rules as ruleList } from '../../src/validate/rules/index.js';
import { runCli, type CliResult } from '../cli/run-cli.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'kho-abi-corpus-'));
let cli: CliResult;
let sidecars: CorpusSidecar[];

beforeAll(async () => {
  cli = await runCli(['fuzz', '--abi', 'all', '--runs', '150', '--corpus', dir]);
  sidecars = readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as CorpusSidecar);
});

/**
 * A KUnit-like reader of the header: compiled by gcc with a u8/u32/u64 prelude, prints per case
 * what it sees: id, how made, the size gcc gives the array, an FNV-1a hash of its bytes, the
 * expected and reported rule bits and the verdict.
 */
const READER = `
typedef unsigned char u8;
typedef unsigned int u32;
typedef unsigned long long u64;
#include <stdio.h>
#include "kho_abi_corpus.h"
int main(void)
{
	for (int i = 0; i < KHO_ABI_CORPUS_CASES; i++) {
		const struct kho_abi_corpus_case *c = &kho_abi_corpus[i];
		u32 h = 2166136261u;
		for (u32 k = 0; k < c->size; k++)
			h = (h ^ c->data[k]) * 16777619u;
		printf("%s %s %u %08x %u %u %d\\n", c->abi, c->made, c->size, h, c->expect, c->rules, c->valid);
	}
	return 0;
}
`;

/** FNV-1a of the bytes, as the C reader computes it. */
function fnv1a(bytes: Uint8Array): string {
  let h = 2166136261;
  for (const b of bytes) h = Math.imul(h ^ b, 16777619) >>> 0;
  return h.toString(16).padStart(8, '0');
}

/** Whether the generator aimed the case at a rule that is an error: then no reader may accept it. */
const aimsAtError = (s: CorpusSidecar) => s.expect.some((r) => ruleList.find((x) => x.id === r)!.severity === 'error');

describe('fuzz --corpus', () => {
  it('passes and says what it wrote', () => {
    expect(cli.stderr).toBe('');
    expect(cli.code).toBe(0);
    expect(cli.stdout).toMatch(/^corpus: \d+ cases, \d+ files in .* \(C header: kho_abi_corpus\.h\)$/m);
  });

  it('writes a blob or image per sidecar; each breaks the rules its generator aimed at, and the kernel writers\' cases are valid', () => {
    expect(sidecars.length).toBeGreaterThan(150);
    for (const s of sidecars) {
      const bytes = readFileSync(join(dir, s.file));
      expect(bytes.length).toBe(s.size);
      let root: Uint8Array = bytes;
      let opts = {};
      if (s.kind === 'elf-core') {
        const memory = new ImageMemory(bytes);
        root = readPciBlob(memory, BigInt(s.rootAddress!), getAbi(s.abi))!;
        opts = { memory, pageSize: s.pageSize };
      }
      const found = validate(root, s.abi, opts);
      const rules = new Set(found.findings.map((f) => f.rule));
      // The oracles come from the generator, not from validate: the mutator's target, and the kernel writers' blobs.
      for (const r of s.expect) expect(rules, `${s.file} made by ${s.made}`).toContain(r);
      if (s.made === 'valid') expect(found.valid, s.file).toBe(true);
      if (aimsAtError(s)) expect(found.valid, `${s.file} made by ${s.made}`).toBe(false);
      // What the sidecar says kho-abi reported holds the generator's target too.
      expect(s.findings, s.file).toEqual(expect.arrayContaining([...s.expect]));
    }
  });

  it('covers the rule of every targeted mutator on some id', () => {
    const expected = new Set(sidecars.flatMap((s) => s.expect));
    const targets = mutators.flatMap((m) => (m.rule ? [m.rule] : []));
    expect(targets.length).toBeGreaterThan(0);
    expect([...new Set(targets)].filter((r) => !expected.has(r))).toEqual([]);
  });

  it('kho_abi_corpus.h compiles with gcc -Wall -Werror and holds the bytes of every case up to 64 KiB, with the rules it was made for', async () => {
    writeFileSync(join(dir, 'reader.c'), READER);
    await run('gcc', ['-std=gnu11', '-Wall', '-Werror', '-O0', '-o', join(dir, 'reader'), join(dir, 'reader.c')], { cwd: dir });
    const { stdout } = await run(join(dir, 'reader'), [], { maxBuffer: 64 << 20 });
    const lines = stdout.trimEnd().split('\n').map((l) => l.split(' '));
    const inHeader = sidecars.filter((s) => s.size <= MAX_HEADER_CASE);
    expect(inHeader.length).toBeLessThan(sidecars.length); // the 10,001-block image stays out
    // The arrays gcc compiled are the corpus files, byte for byte.
    const fromFiles = inHeader.map((s) => `${s.abi} ${s.made} ${s.size} ${fnv1a(readFileSync(join(dir, s.file)))}`).sort();
    expect(lines.map((l) => l.slice(0, 4).join(' ')).sort()).toEqual(fromFiles);
    const bit = new Map([...readFileSync(join(dir, 'kho_abi_corpus.h'), 'utf8').matchAll(/^#define KHO_ABI_R_(\w+) \(1u << (\d+)\)$/gm)].map((m) => [m[1]!, 1 << Number(m[2])]));
    for (const [abi, made, size, hash, expectBits, ruleBits, valid] of lines) {
      const s = inHeader.find((x) => x.abi === abi && x.made === made && String(x.size) === size && fnv1a(readFileSync(join(dir, x.file))) === hash)!;
      const line = `${abi} ${made} ${size}`;
      expect(Number(expectBits), line).toBe(s.expect.reduce((m, r) => (m | bit.get(r)!) >>> 0, 0));
      expect((Number(ruleBits) & Number(expectBits)) >>> 0, line).toBe(Number(expectBits));
      if (made === 'valid') expect(valid, line).toBe('1');
      if (aimsAtError(s)) expect(valid, line).toBe('0');
    }
  });
});
