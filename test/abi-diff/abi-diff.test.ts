import { describe, expect, it } from 'vitest';
import { abiDiff } from '../../src/abi-diff/abi-diff.js';
import { categoryOf } from '../../src/abi-diff/rules.js';
import { abiSnapshot, headerSnapshot } from '../../src/abi-diff/snapshot.js';
import { parseSuppressions } from '../../src/abi-diff/suppressions.js';
import { parseHeader } from '../../src/header/parse-header.js';
import { getAbi } from '../../src/registry.js';

const ids = (a: string, b: string, opts = {}) => abiDiff(abiSnapshot(getAbi(a)), abiSnapshot(getAbi(b)), opts);
const rules = (d: ReturnType<typeof ids>) => d.findings.map((f) => `${f.severity}:${f.rule}`);
const header = (body: string, compat = 'x-v1') => headerSnapshot(parseHeader(`#define X_COMPATIBLE "${compat}"\n${body}`, 'x.h'), 'x');

describe('abiDiff between registry ids', () => {
  const cases: Array<[string, string, string[]]> = [
    ['pci-v3/flat8-max32', 'pci-v3/flat8-max32', []],
    ['pci-v2/flat8-max32', 'pci-v2/flat8-max32-hier', ['warning:FIELD_DOC_CHANGED', 'error:COMPAT_NOT_BUMPED']],
    ['pci-v2/flat8-max32-hier', 'pci-v3/flat8-max32', ['warning:COMPAT_BUMPED_WITHOUT_CHANGE']],
    ['pci/blk16-v1', 'pci/blk16-v2', ['info:FIELD_DOC_CHANGED']],
    ['pci-v1/flat8-max32', 'pci-v2/flat8-max32', ['info:FIELD_RENAMED', 'info:FIELD_DOC_CHANGED', 'info:FIELD_DOC_CHANGED']],
  ];
  it.each(cases)('%s -> %s', (a, b, expected) => expect(rules(ids(a, b))).toEqual(expected));

  it('u64 -> u32 counts are size and offset changes, and need a bump', () => {
    const d = ids('pci-v1/flat8-max64', 'pci-v1/flat8-max32');
    expect(new Set(d.findings.map((f) => f.rule))).toEqual(
      new Set(['FIELD_RENAMED', 'FIELD_DOC_CHANGED', 'STRUCT_SIZE_CHANGED', 'FIELD_SIZE_CHANGED', 'FIELD_OFFSET_CHANGED', 'COMPAT_NOT_BUMPED']),
    );
    expect(d.findings.find((f) => f.rule === 'FIELD_SIZE_CHANGED')).toMatchObject({ struct: 'pci_ser', field: 'max_nr_devices' });
    expect(categoryOf('FIELD_SIZE_CHANGED')).toBe('LAYOUT');
  });

  it('a flexible array turned into a block-chain address is ARRAY_BECAME_POINTER, not a size or type change', () => {
    const d = ids('pci-v2/flat8-max32-hier', 'pci-v2/blk12');
    const devices = d.findings.filter((f) => f.field === 'devices').map((f) => f.rule);
    expect(devices).toEqual(['FIELD_OFFSET_CHANGED', 'ARRAY_BECAME_POINTER', 'FIELD_DOC_CHANGED']);
  });

  it('--allow and suppressions turn findings into marked info; all suppressed means no COMPAT_NOT_BUMPED', () => {
    const allowed = ids('pci-v2/flat8-max32', 'pci-v2/flat8-max32-hier', { allow: ['FIELD_DOC_CHANGED'] });
    expect(allowed.findings).toMatchObject([{ rule: 'FIELD_DOC_CHANGED', severity: 'info', suppressed: true }]);
    const file = parseSuppressions('# refcount wording\nFIELD_DOC_CHANGED pci_dev_ser.refcount  # reviewed\n', 's.txt');
    expect(rules(ids('pci-v2/flat8-max32', 'pci-v2/flat8-max32-hier', { suppressions: file }))).toEqual(['info:FIELD_DOC_CHANGED']);
    const other = parseSuppressions('FIELD_DOC_CHANGED pci_ser.*\n', 's.txt');
    expect(rules(ids('pci-v2/flat8-max32', 'pci-v2/flat8-max32-hier', { suppressions: other }))).toContain('error:COMPAT_NOT_BUMPED');
    expect(() => parseSuppressions('NOT_A_RULE\n', 's.txt')).toThrow(/s.txt:1: expected "RULE/);
  });
});

describe('abiDiff on headers: every LAYOUT rule', () => {
  const cases: Array<[string, string, string, string[]]> = [
    ['type: unsigned -> signed', 'struct s { u32 a; };', 'struct s { s32 a; };', ['FIELD_TYPE_CHANGED']],
    ['type: integer -> char array', 'struct s { u32 a; };', 'struct s { char a[4]; };', ['FIELD_TYPE_CHANGED']],
    ['type: byte order', 'struct s { __le32 a; };', 'struct s { __be32 a; };', ['FIELD_TYPE_CHANGED']],
    ['added at the end', 'struct s { u32 a; };', 'struct s { u32 a; u32 b; };', ['STRUCT_SIZE_CHANGED', 'FIELD_ADDED']],
    ['removed', 'struct s { u32 a; u32 b; };', 'struct s { u32 a; };', ['STRUCT_SIZE_CHANGED', 'FIELD_REMOVED']],
    ['element size', 'struct e { u32 x; };\nstruct s { u32 n; struct e d[]; };', 'struct e { u64 x; };\nstruct s { u32 n; struct e d[]; };', ['STRUCT_SIZE_CHANGED', 'FIELD_SIZE_CHANGED', 'STRUCT_SIZE_CHANGED', 'FIELD_OFFSET_CHANGED', 'ELEMENT_SIZE_CHANGED']],
    ['packing', 'struct s { u8 a; u32 b; };', 'struct s { u8 a; u32 b; } __packed;', ['STRUCT_SIZE_CHANGED', 'PACKING_CHANGED', 'FIELD_OFFSET_CHANGED']],
    ['aligned without effect', 'struct s { u32 a; u32 b; };', 'struct s { u32 a; u32 b; } __aligned(4);', []],
    ['version moved', 'struct s { u32 version; u32 n; };', 'struct s { u32 n; u32 version; };', ['VERSION_FIELD_MOVED', 'FIELD_OFFSET_CHANGED']],
    ['struct removed', 'struct s { u32 a; };\nstruct t { u8 b; };', 'struct s { u32 a; };', ['FIELD_REMOVED']],
  ];
  it.each(cases)('%s', (_name, a, b, expected) => {
    const d = abiDiff(header(a), header(b));
    const layout = d.findings.filter((f) => categoryOf(f.rule) !== 'COMPAT').map((f) => f.rule);
    expect(layout).toEqual(expected);
    expect(d.findings.some((f) => f.rule === 'COMPAT_NOT_BUMPED')).toBe(expected.length > 0);
  });

  it('findings point at the member in the new header; a bump makes them info', () => {
    const d = abiDiff(header('struct s {\n\tu32 a;\n};'), header('struct s {\n\tu64 a;\n};', 'x-v2'));
    expect(d.findings).toMatchObject([{ rule: 'STRUCT_SIZE_CHANGED', severity: 'info', file: 'x.h', line: 2 }, { rule: 'FIELD_SIZE_CHANGED', severity: 'info', line: 3, column: 6 }]);
    expect(d.bumped).toBe(true);
  });
});
