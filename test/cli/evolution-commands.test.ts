import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';
import { abis } from '../../src/registry.js';

const fixture = (id: string) => new URL(`../../fixtures/headers/${id}.h`, import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'kho-evolution-'));

describe('kho-abi header', () => {
  it('--json has the documented keys and the matching id', async () => {
    const r = await runCli(['header', fixture('pci-blk16-v2'), '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ compatible: ['pci'], version: 2, matches: ['pci/blk16-v2'], defines: { PCI_LUO_FLB_COMPATIBLE: 'pci', PCI_LUO_FLB_VERSION: 2 } });
    expect(j.structs[1]).toMatchObject({ name: 'pci_ser', size: 16, align: 1, packed: true });
    expect(j.structs[1].fields[0]).toEqual({ name: 'version', type: 'u32', offset: 0, size: 4, doc: 'PCI_LUO_FLB_VERSION; must never be deleted, moved, or resized' });
  });

  it('a failing static_assert is a finding (exit 1); an unknown layout says so', async () => {
    const file = join(dir, 'bad.h');
    writeFileSync(file, '#define X_COMPATIBLE "x"\nstruct x { u32 a; u8 b; };\nstatic_assert(sizeof(struct x) == 5);\n');
    const r = await runCli(['header', file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${file}:3:1: static_assert(sizeof(struct x) == 5) FAILS`);
    expect(r.stdout).toContain('registry: unknown layout (compat "x")');
  });

  it('what it cannot parse is exit 2 with file:line:column', async () => {
    const file = join(dir, 'ld.h');
    writeFileSync(file, 'struct f {\n\tlong double v;\n};\n');
    const r = await runCli(['header', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`kho-abi: error: ${file}:2:2: long double is not supported (no fixed layout across the targets)\n`);
  });
});

describe('kho-abi abi-diff, compat, gen', () => {
  it('abi-diff id vs header: json, sarif and github formats', async () => {
    const json = await runCli(['abi-diff', 'pci-v2/flat8-max32', fixture('pci-v2-flat8-max32-hier'), '--format', 'json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).findings).toMatchObject([
      { rule: 'FIELD_DOC_CHANGED', category: 'SEMANTIC', severity: 'warning', struct: 'pci_dev_ser', field: 'refcount', line: 37 },
      { rule: 'COMPAT_NOT_BUMPED', category: 'COMPAT', severity: 'error' },
    ]);
    const sarif = JSON.parse((await runCli(['abi-diff', 'pci-v2/flat8-max32', fixture('pci-v2-flat8-max32-hier'), '--format', 'sarif'])).stdout);
    expect(sarif.runs[0].results.map((x: { ruleId: string }) => x.ruleId)).toEqual(['FIELD_DOC_CHANGED', 'COMPAT_NOT_BUMPED']);
    const gh = await runCli(['abi-diff', 'pci-v2/flat8-max32', fixture('pci-v2-flat8-max32-hier'), '--format', 'github', '--allow', 'FIELD_DOC_CHANGED']);
    expect(gh).toMatchObject({ code: 0 });
    expect(gh.stdout).toMatch(/^::notice file=.*pci-v2-flat8-max32-hier.h,line=37,col=6,title=FIELD_DOC_CHANGED::/);
  });

  it('abi-diff usage errors are exit 2', async () => {
    expect((await runCli(['abi-diff', 'pci-v1', 'pci-v3'])).code).toBe(2);
    expect((await runCli(['abi-diff', 'pci-v3/flat8-max32'])).code).toBe(2);
    expect((await runCli(['abi-diff', 'a', 'b', '--allow', 'NOPE'])).code).toBe(2);
  });

  it('compat exits 0 only for an accepted hand-over', async () => {
    expect((await runCli(['compat', 'pci-v3/flat8-max32', 'pci-v3/flat8-max32'])).code).toBe(0);
    const misparsed = await runCli(['compat', 'pci-v1/flat8-max32', 'pci-v1/flat8-max64']);
    expect(misparsed.code).toBe(1);
    expect(misparsed.stdout).toMatch(/bytes 0-7 \(max_nr_devices\|nr_devices\) read as u64 max_nr_devices/);
    expect((await runCli(['compat', 'pci/blk16-v1', 'pci/blk16-v2'])).code).toBe(1);
    expect((await runCli(['compat', '--matrix'])).code).toBe(0);
  });

  it('compat --matrix --json covers every pair of ids', async () => {
    const r = await runCli(['compat', '--matrix', '--json']);
    const j = JSON.parse(r.stdout);
    expect(j.ids).toEqual(abis.map((a) => a.id));
    expect(j.pairs.length).toBe(abis.length ** 2);
  });

  it('compat --matrix NAMES… is the table over the named ids and the ids of the named compat strings', async () => {
    const compat = abis[0]!.compatible;
    const last = abis[abis.length - 1]!;
    const ids = abis.filter((a) => a.compatible === compat || a === last).map((a) => a.id);
    const j = JSON.parse((await runCli(['compat', '--matrix', compat, last.id, '--json'])).stdout);
    expect(j.ids).toEqual(ids);
    expect(j.pairs.map((p: { from: string; to: string }) => `${p.from} ${p.to}`)).toEqual(ids.flatMap((w) => ids.map((r) => `${w} ${r}`)));
    const text = (await runCli(['compat', '--matrix', last.id])).stdout.split('\n');
    // the column numbers sit over the letters
    expect(text[0]!.length).toBe(text[1]!.length);
    expect(text[1]!.trimEnd().endsWith('A')).toBe(true);
    expect((await runCli(['compat', '--matrix', 'pci-v9'])).code).toBe(2);
    const misplaced = await runCli(['compat', last.id, '--matrix']);
    expect(misplaced.code).toBe(2);
    expect(misplaced.stderr).toMatch(/^kho-abi: error: --matrix takes the ids after it/);
  });

  it('gen c-asserts: an unknown id is exit 2', async () => {
    expect((await runCli(['gen', 'c-asserts', '--abi', 'pci/blk16-v1'])).stdout).toContain('static_assert(sizeof(struct pci_ser) == 16);');
    expect((await runCli(['gen', 'c-asserts', '--abi', 'nope'])).code).toBe(2);
  });
});
