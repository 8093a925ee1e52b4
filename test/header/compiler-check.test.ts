import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compilerLayouts, layoutDifferences, type CompilerName } from '../../src/header/compiler-layout.js';
import { readHeader } from '../../src/header/read-header.js';
import type { Arch } from '../../src/header/target.js';
import { runCli } from '../cli/run-cli.js';

/**
 * `--cc`: every header fixture (the registry's twelve and the fixture kernel tree) laid out
 * by gcc or clang through BTF agrees with the built-in reader, on every target; and a
 * layout that is off is reported.
 */
const TREE = 'fixtures/kernel-tree';
const treeHeaders = readdirSync(`${TREE}/include/linux/kho/abi`).map((f) => `${TREE}/include/linux/kho/abi/${f}`);
const registryHeaders = readdirSync('fixtures/headers').map((f) => `fixtures/headers/${f}`);
const RUNS: Array<[CompilerName, Arch]> = [['gcc', 'x86_64'], ['gcc', 'i386'], ['clang', 'arm64']];

describe.each(RUNS)('--cc %s --arch %s agrees with the built-in reader', (cc, arch) => {
  it.each([...treeHeaders, ...registryHeaders])('%s', (file) => {
    const target = { arch, pageSize: 4096 };
    const h = readHeader(file, { target });
    const theirs = compilerLayouts(h, { cc, file, target, ...(file.startsWith(TREE) ? { treeRoot: TREE } : {}) });
    expect(theirs.size).toBe(h.structs.length);
    expect(layoutDifferences(h.structs.map((s) => s.layout), theirs, cc)).toEqual([]);
  });
});

describe('a layout that is off is HEADER_LAYOUT_DIFFERS', () => {
  it('a bit-field placed one bit off, a struct one byte short', () => {
    const file = `${TREE}/include/linux/kho/abi/memfd.h`;
    const h = readHeader(file);
    const theirs = compilerLayouts(h, { cc: 'gcc', file, treeRoot: TREE, target: { arch: 'x86_64', pageSize: 4096 } });
    const folio = h.structs.find((s) => s.name === 'memfd_luo_folio_ser')!.layout;
    const off = { ...folio, size: 15, fields: folio.fields.map((f) => (f.name === 'flags' ? { ...f, bitOffset: 53 } : f)) };
    expect(layoutDifferences([off], theirs, 'gcc')).toEqual([
      { struct: 'memfd_luo_folio_ser', message: 'size 15 here, 16 by gcc' },
      { struct: 'memfd_luo_folio_ser', field: 'flags', message: 'bits 53..64 here, bits 52..63 by gcc' },
    ]);
  });

  it('header --cc and abi-diff --cc on the fixture tree: agreement, exit 0', async () => {
    const h = await runCli(['header', `${TREE}/include/linux/kho/abi/cpu.h`, '--cc', 'clang', '--arch', 'arm64']);
    expect(h.code).toBe(0);
    expect(h.stdout.trim().split('\n').at(-1)).toBe('--cc clang: every struct laid out as clang lays it out');
    const d = await runCli(['abi-diff', TREE, TREE, '--cc', 'gcc', '--format', 'json']);
    expect(d.code).toBe(0);
    expect(JSON.parse(d.stdout).findings).toEqual([]);
  });
});
