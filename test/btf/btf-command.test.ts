import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { abis } from '../../src/registry.js';
import { runCli } from '../cli/run-cli.js';
import { buildBtfObject, scratchDir, tool } from '../helpers/btf-producers.js';

/** linux/types.h and linux/bug.h shims of ours, enough for the header fixtures. */
const SHIMS = fileURLToPath(new URL('../../fixtures/btf/include', import.meta.url));

let dir: string;
const header = (id: string) => fileURLToPath(new URL(`../../fixtures/headers/${id.replace('/', '-')}.h`, import.meta.url));

/** An object built by gcc -gbtf from one registry header fixture, with a variable of each struct so both are in the BTF. */
function headerObject(id: string): string {
  const src = join(dir, `${id.replace('/', '-')}.c`);
  writeFileSync(src, `#include ${JSON.stringify(header(id))}\nstruct pci_ser *root;\nstruct pci_dev_ser dev;\n`);
  return buildBtfObject('gcc -gbtf', src, src.replace(/\.c$/, '.o'), ['-std=gnu11', '-I', SHIMS]).path;
}

beforeAll(() => {
  dir = scratchDir();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('kho-abi btf: which registry id a build writes', () => {
  it.each(abis.map((a) => [a.id, a] as const))('gcc -gbtf of the %s header matches it and every id with its bytes', async (id, abi) => {
    const r = await runCli(['btf', headerObject(id), '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { structs: Array<{ name: string }>; matches: string[]; matchNote: string };
    expect(out.structs.map((s) => s.name).sort()).toEqual(['pci_dev_ser', 'pci_ser']);
    expect([...out.matches].sort()).toEqual([id, ...abi.sharesBytes].sort());
    expect(out.matchNote).toMatch(/no macros/);
  });

  it('says so in text, after the structs', async () => {
    const r = await runCli(['btf', headerObject('pci-v2/flat8-max32')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^struct pci_dev_ser \{$/m);
    expect(r.stdout.trim().split('\n').at(-1)).toMatch(/^\/\* registry: pci_ser and pci_dev_ser match [^;]*\bpci-v2\/flat8-max32,[^;]*; BTF holds no macros: .*compat string or version.* \*\/$/);
  });
});

describe('kho-abi btf: errors are one line, exit 2', () => {
  it('an unknown struct names the closest ones', async () => {
    const r = await runCli(['btf', headerObject('pci/blk16-v2'), '--struct', 'pci_sre']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^kho-abi: error: .*: no struct or union named pci_sre; closest: pci_ser, pci_dev_ser\n$/);
  });

  it('an object without BTF', async () => {
    const src = join(dir, 'plain.c');
    writeFileSync(src, 'int x;\n');
    tool('gcc', ['-c', src, '-o', join(dir, 'plain.o')], 'gcc');
    const r = await runCli(['btf', join(dir, 'plain.o')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^kho-abi: error: .*plain\.o: an ELF file without a \.BTF section .*\n$/);
  });

  it('a file that is neither ELF nor BTF, and a missing file', async () => {
    const r = await runCli(['btf', src('plain-text.txt', 'hello\n'.repeat(10))]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^kho-abi: error: .*: no BTF magic 0xeb9f.*\n$/);
    const missing = await runCli(['btf', join(dir, 'nope')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^kho-abi: error: .*nope: no such file\n$/);
  });
});

function src(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('kho-abi btf --base: split BTF as pahole writes it for modules', () => {
  let base: string;
  let mod: string;
  beforeAll(() => {
    const types = 'typedef unsigned int u32; typedef unsigned short u16;\nstruct kho_dev_ser { u32 domain; u16 bdf; u16 refcount; } __attribute__((packed));\n';
    base = buildBtfObject('gcc -g + pahole -J', src('base.c', `${types}struct kho_dev_ser base_dev;\n`), join(dir, 'base.o')).path;
    const modSrc = src('mod.c', `${types}struct mod_root_ser { u32 nr; struct kho_dev_ser devs[]; };\nstruct mod_root_ser root;\n`);
    tool('gcc', ['-g', '-c', modSrc, '-o', join(dir, 'mod.o')], 'gcc');
    tool('pahole', ['-J', '--btf_base', base, join(dir, 'mod.o')], 'dwarves');
    mod = join(dir, 'mod.o');
  });

  it('reads the module over its base and lists only the module\'s own *_ser structs', async () => {
    const r = await runCli(['btf', mod, '--base', base, '--json']);
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as { structs: Array<{ name: string; size: number; fields: Array<{ name: string; type: string; offset: number }> }> };
    expect(out.structs.map((s) => s.name)).toEqual(['mod_root_ser']);
    expect(out.structs[0]!.fields.map((f) => [f.name, f.type, f.offset])).toEqual([['nr', 'u32', 0], ['devs', 'struct kho_dev_ser[]', 4]]);
  });

  it('a base type by name is found through the module', async () => {
    const r = await runCli(['btf', mod, '--base', base, '--struct', 'kho_dev_ser']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/u16 +refcount; +\/\* +6 +2 \*\//);
  });

  it('without --base: exit 2 with the hint', async () => {
    const r = await runCli(['btf', mod]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^kho-abi: error: .*split BTF.*--base.*\n$/);
  });
});

describe('kho-abi btf --json: bit-fields and anonymous members', () => {
  it('gives bitOffset/bitSize from the start of the struct, and inline members at their offsets in it', async () => {
    const layouts = fileURLToPath(new URL('../../fixtures/btf/layouts.c', import.meta.url));
    const obj = buildBtfObject('gcc -gbtf', layouts, join(dir, 'layouts.o')).path;
    const r = await runCli(['btf', obj, '--struct', 'unions_ser', '--struct', 'bits_ser', '--json']);
    expect(r.code).toBe(0);
    type F = { name: string; offset: number; size: number; bitOffset?: number; bitSize?: number; fields?: F[] };
    const [unions, bits] = (JSON.parse(r.stdout) as { structs: Array<{ fields: F[] }> }).structs;
    const anon = unions!.fields.filter((f) => f.name === '');
    expect(anon.map((f) => f.fields!.map((g) => [g.name, g.offset, g.size, g.bitOffset ?? null, g.bitSize ?? null]))).toEqual([
      [['w', 4, 4, null, null], ['h', 4, 4, null, null]],
      [['z', 24, 2, null, null], ['zz', 26, 1, 208, 3]],
    ]);
    expect(bits!.fields.filter((f) => f.bitSize !== undefined).map((f) => [f.name, f.bitOffset, f.bitSize])).toEqual([
      ['lo', 8, 3], ['mid', 11, 5], ['neg', 16, 7], ['wide', 23, 40], ['last', 64, 2], ['b', 66, 1], ['st', 67, 4],
    ]);
  });
});
