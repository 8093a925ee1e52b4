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

/** A KUnit-like reader of the header: compiled by gcc with a u8/u32/u64 prelude, prints what it sees. */
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
		if ((c->rules & c->expect) != c->expect)
			return 3;
		printf("%s %s %u %u %d %s\\n", c->abi, c->made, c->size, c->rules, c->valid, c->rule_names);
	}
	return 0;
}
`;

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
      expect([...rules].sort(), s.file).toEqual([...s.findings].sort());
    }
  });

  it('covers every targeted rule on some id', () => {
    const expected = new Set(sidecars.flatMap((s) => s.expect));
    expect(expected.size).toBe(18);
  });

  it('kho_abi_corpus.h compiles with gcc -Wall -Werror and holds every case up to 64 KiB, with its size and rules', async () => {
    writeFileSync(join(dir, 'reader.c'), READER);
    await run('gcc', ['-std=gnu11', '-Wall', '-Werror', '-O0', '-o', join(dir, 'reader'), join(dir, 'reader.c')], { cwd: dir });
    const { stdout } = await run(join(dir, 'reader'), [], { maxBuffer: 64 << 20 });
    const lines = stdout.trimEnd().split('\n');
    const inHeader = sidecars.filter((s) => s.size <= MAX_HEADER_CASE);
    expect(inHeader.length).toBeLessThan(sidecars.length); // the 10,001-block image stays out
    expect(lines).toHaveLength(inHeader.length);
    const seen = lines.map((l) => l.split(' ').slice(0, 3).join(' ')).sort();
    expect(seen).toEqual(inHeader.map((s) => `${s.abi} ${s.made} ${s.size}`).sort());
    for (const l of lines) {
      const [abi, made, size, , valid, ...names] = l.split(' ');
      const s = inHeader.find((x) => x.abi === abi && x.made === made && String(x.size) === size && [...x.findings].join(' ') === names.join(' '));
      expect(s, l).toBeDefined();
      expect(valid).toBe(s!.valid ? '1' : '0');
    }
  });
});
