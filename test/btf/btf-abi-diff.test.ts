import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';
import { buildBtfObject, scratchDir } from '../helpers/btf-producers.js';

/** Two "kernels" of ours built with gcc -gbtf: the second moves pci_ser to a block chain and widens a bit-field. */
const TYPES = 'typedef unsigned int u32; typedef unsigned short u16; typedef unsigned long long u64;\n';
const DEV = 'struct pci_dev_ser { u32 domain; u16 bdf; u16 refcount; } __attribute__((packed));\n';
const OLD = `${TYPES}${DEV}struct pci_ser { u32 max_nr_devices; u32 nr_devices; struct pci_dev_ser devices[]; } __attribute__((packed));
struct luo_misc_ser { u32 flags : 3; u32 mode : 2; u64 data; };
struct pci_ser *root; struct pci_dev_ser dev; struct luo_misc_ser misc;
`;
const NEW = `${TYPES}${DEV}struct pci_ser { u32 nr_devices; u64 devices; } __attribute__((packed));
struct luo_misc_ser { u32 flags : 4; u32 mode : 2; u64 data; };
struct pci_ser *root; struct pci_dev_ser dev; struct luo_misc_ser misc;
`;
const VERSIONED = (at: 'first' | 'second') => `${TYPES}${DEV}struct pci_ser { ${at === 'first' ? 'u32 version; u32 nr_devices;' : 'u32 nr_devices; u32 version;'} u64 devices; } __attribute__((packed));
struct pci_ser *root; struct pci_dev_ser dev;
`;

interface Out {
  findings: Array<{ rule: string; severity: string; struct?: string; field?: string; message: string }>;
  headers: Array<{ notes?: string[] }>;
}

let dir: string;
const object = (name: string, source: string) => {
  writeFileSync(join(dir, `${name}.c`), source);
  return buildBtfObject('gcc -gbtf', join(dir, `${name}.c`), join(dir, `${name}.o`)).path;
};

beforeAll(() => {
  dir = scratchDir();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('abi-diff btf:OLD btf:NEW', () => {
  it('reports every *_ser layout change, says once that the compat rules need macros, invents no COMPAT finding', async () => {
    const r = await runCli(['abi-diff', `btf:${object('old', OLD)}`, `btf:${object('new', NEW)}`, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Out;
    expect(out.findings.map((f) => [f.rule, f.struct, f.field ?? null])).toEqual([
      ['STRUCT_SIZE_CHANGED', 'pci_ser', null],
      ['FIELD_REMOVED', 'pci_ser', 'max_nr_devices'],
      ['FIELD_OFFSET_CHANGED', 'pci_ser', 'nr_devices'],
      ['FIELD_OFFSET_CHANGED', 'pci_ser', 'devices'],
      ['ARRAY_BECAME_POINTER', 'pci_ser', 'devices'],
      ['FIELD_SIZE_CHANGED', 'luo_misc_ser', 'flags'],
      ['FIELD_OFFSET_CHANGED', 'luo_misc_ser', 'mode'],
    ]);
    expect(out.findings.every((f) => f.severity === 'warning')).toBe(true);
    expect(out.headers).toHaveLength(1);
    expect(out.headers[0]!.notes).toEqual([expect.stringMatching(/BTF holds no macros, so the compat rules \(COMPAT_NOT_BUMPED, COMPAT_BUMPED_WITHOUT_CHANGE\) were not checked/)]);
  });

  it('in text: the findings, the note once, and no claim of compatibility', async () => {
    const r = await runCli(['abi-diff', `btf:${join(dir, 'old.o')}`, `btf:${join(dir, 'new.o')}`]);
    expect(r.stdout.match(/BTF holds no macros/g)).toHaveLength(1);
    expect(r.stdout).toMatch(/warning\[FIELD_SIZE_CHANGED\]: struct luo_misc_ser\.flags: bit-field width changed from 3 to 4 bits/);
    expect(r.stdout.trim().split('\n').at(-1)).toBe('layout changes found (compat rules not checked)');
  });

  it('a moved version field is still an error (exit 1)', async () => {
    const r = await runCli(['abi-diff', `btf:${object('v1', VERSIONED('first'))}`, `btf:${object('v2', VERSIONED('second'))}`, '--json']);
    expect(r.code).toBe(1);
    expect((JSON.parse(r.stdout) as Out).findings.filter((f) => f.severity === 'error').map((f) => f.rule)).toEqual(['VERSION_FIELD_MOVED']);
  });

  it('against a registry id: only the structs of its header, and no difference where the bytes match', async () => {
    const same = await runCli(['abi-diff', 'pci-v2/flat8-max32', `btf:${join(dir, 'old.o')}`, '--json']);
    expect(same.code).toBe(0);
    expect((JSON.parse(same.stdout) as Out).findings).toEqual([]);
    const other = await runCli(['abi-diff', `btf:${join(dir, 'new.o')}`, 'pci/blk16-v2', '--json']);
    const found = (JSON.parse(other.stdout) as Out).findings;
    expect(new Set(found.map((f) => f.struct))).toEqual(new Set(['pci_ser']));
    expect(found.map((f) => f.rule)).toContain('FIELD_ADDED');
  });

  it('a btf: side that is not BTF is one error line, exit 2', async () => {
    writeFileSync(join(dir, 'junk.bin'), 'not btf at all, not elf either');
    const r = await runCli(['abi-diff', `btf:${join(dir, 'junk.bin')}`, 'pci-v2/flat8-max32']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^kho-abi: error: .*junk\.bin: no BTF magic 0xeb9f .*\n$/);
  });
});
