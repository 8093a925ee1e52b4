import { beforeAll, describe, expect, it } from 'vitest';
import { definitions } from '../../abi/index.js';
import { renderCAsserts, renderCStructs } from '../../src/layout/c-render.js';
import { layoutStructs, type StructLayout } from '../../src/layout/engine.js';
import { abis, containers } from '../../src/registry.js';
import type { StructDef } from '../../src/schema/types.js';
import { compileC, type GccResult } from '../helpers/gcc.js';

/** Structs the kernel headers do not use, chosen to exercise every rule of the engine. */
const engineCases: StructDef[] = [
  { name: 'holes', fields: [{ name: 'a', type: 'u8' }, { name: 'b', type: 'u64' }, { name: 'c', type: 'u16' }, { name: 'd', type: 'u32' }, { name: 'e', type: 'u8' }] },
  {
    name: 'scalars',
    fields: [
      { name: 'a', type: 's8' }, { name: 'b', type: 's16' }, { name: 'c', type: 'char' }, { name: 'd', type: 's32' },
      { name: 'e', type: '__le16' }, { name: 'f', type: 's64' }, { name: 'g', type: '__be32' }, { name: 'h', type: '__le64' },
      { name: 'i', type: '__be16' }, { name: 'j', type: '__le32' }, { name: 'k', type: '__be64' },
    ],
  },
  { name: 'aligned_struct', aligned: 16, fields: [{ name: 'x', type: 'u32' }] },
  { name: 'aligned_member', fields: [{ name: 'a', type: 'u8' }, { name: 'b', type: 'u32', aligned: 16 }, { name: 'c', type: 'u8' }] },
  { name: 'weak_aligned_member', fields: [{ name: 'a', type: 'u8' }, { name: 'b', type: 'u64', aligned: 2 }] },
  {
    name: 'packed_aligned_member',
    packed: true,
    fields: [{ name: 'a', type: 'u8' }, { name: 'b', type: 'u32', aligned: 4 }, { name: 'c', type: 'u8' }, { name: 'd', type: 'u64', aligned: 2 }, { name: 'e', type: 'u8' }],
  },
  { name: 'packed_aligned', packed: true, aligned: 8, fields: [{ name: 'a', type: 'u8' }, { name: 'b', type: 'u32' }] },
  { name: 'packed_aligned2', packed: true, aligned: 2, fields: [{ name: 'a', type: 'u8' }, { name: 'b', type: 'u64' }] },
  { name: 'weak_aligned_struct', aligned: 2, fields: [{ name: 'a', type: 'u64' }, { name: 'b', type: 'u8' }] },
  { name: 'zero_length', fields: [{ name: 'a', type: 'u8' }, { name: 'z', type: 'u64', count: 0 }] },
  { name: 'elem8', fields: [{ name: 'v', type: 'u64' }, { name: 'tag', type: 'u8' }] },
  {
    name: 'nested',
    fields: [
      { name: 'a', type: 'u8' }, { name: 'e', type: 'struct elem8' }, { name: 'b', type: 'u8' },
      { name: 's', type: 'struct aligned_struct' }, { name: 'arr', type: 'u16', count: 3 }, { name: 'name', type: 'char', count: 5 },
      { name: 'p', type: 'struct packed_aligned' }, { name: 'last', type: 'u32' },
    ],
  },
  { name: 'packed_outer', packed: true, fields: [{ name: 'a', type: 'u8' }, { name: 'e', type: 'struct elem8', count: 2 }, { name: 'arr', type: 'u16', count: 3 }] },
  { name: 'flex8', fields: [{ name: 'n', type: 'u32' }, { name: 'd', type: 'struct elem8', flexible: true }] },
  { name: 'flex8_after_u8', fields: [{ name: 'n', type: 'u8' }, { name: 'm', type: 'u16' }, { name: 'd', type: 'struct elem8', flexible: true }] },
  { name: 'packed_flex8', packed: true, fields: [{ name: 'n', type: 'u32' }, { name: 'd', type: 'struct elem8', flexible: true }] },
];

/** The schema's struct definitions of every id, by kind. */
function defsOf(kind: 'pci' | 'container'): Map<string, readonly StructDef[]> {
  return new Map(definitions.filter((d) => d.kind === kind).map((d) => [d.id, d.structs as readonly StructDef[]]));
}

const pciDefs = defsOf('pci');
const containerDefs = defsOf('container');

interface Unit {
  readonly name: string;
  readonly defs: readonly StructDef[];
  readonly layouts: readonly StructLayout[];
}

/** One translation unit: the structs as the schema declares them, the asserts as the engine lays them out. */
function source(unit: Unit): string {
  return `${renderCStructs(unit.defs, { typedefs: true })}\n${renderCAsserts(unit.layouts)}`;
}

const units: Unit[] = [
  ...abis.map((a) => ({ name: a.id, defs: pciDefs.get(a.id)!, layouts: a.structs })),
  ...containers.map((c) => ({ name: c.id, defs: containerDefs.get(c.id)!, layouts: c.structs })),
  { name: 'engine-only', defs: engineCases, layouts: [...layoutStructs(engineCases).values()] },
];

const results = new Map<string, GccResult>();

beforeAll(async () => {
  const done = await Promise.all(units.map(async (u) => [u.name, await compileC(source(u))] as const));
  for (const [name, r] of done) results.set(name, r);
});

describe('C layout checked by gcc', () => {
  it('covers every PCI id and container struct', () => {
    expect(units.filter((u) => pciDefs.has(u.name)).map((u) => u.name)).toEqual(abis.map((a) => a.id));
    expect(pciDefs.size).toBe(abis.length);
    const names = units.flatMap((u) => u.layouts.map((s) => s.name));
    expect(names).toEqual(expect.arrayContaining(['kho_block_header_ser', 'luo_flb_header_ser', 'luo_flb_ser']));
  });

  it.each(units.map((u) => [u.name, u] as const))('%s: gcc agrees with every sizeof, alignment and offsetof', (name, unit) => {
    const text = source(unit);
    const asserts = text.match(/_Static_assert\(/g)?.length ?? 0;
    const expected = unit.layouts.reduce((n, s) => n + 2 + s.fields.reduce((m, f) => m + (f.flexible ? 1 : 2), 0), 0);
    expect(asserts).toBe(expected);
    const r = results.get(name)!;
    expect(r.stderr).toBe('');
    expect(r.ok).toBe(true);
  });
});

describe('gcc rejects a wrong layout', () => {
  it('fails an offset that is off by one', async () => {
    const blk = abis.find((a) => a.id === 'pci-v1/blk12')!;
    const wrong = blk.structs.map((s) => (s.name !== 'pci_ser' ? s : { ...s, fields: s.fields.map((f) => (f.name === 'devices' ? { ...f, offset: f.offset + 1 } : f)) }));
    const r = await compileC(source({ name: 'wrong', defs: pciDefs.get(blk.id)!, layouts: wrong }));
    expect(r.ok).toBe(false);
    expect(r.stderr).toContain('static assertion failed: "offsetof(struct pci_ser, devices) == 5"');
  });

  it('catches an engine that forgot __packed', async () => {
    const defs = pciDefs.get('pci-v1/blk12')!;
    const unpacked = layoutStructs(defs.map((s) => ({ ...s, packed: false })));
    const r = await compileC(source({ name: 'unpacked', defs, layouts: [...unpacked.values()] }));
    expect(r.ok).toBe(false);
    expect(r.stderr).toContain('static assertion failed: "sizeof(struct pci_ser) == 16"');
    expect(r.stderr).toContain('static assertion failed: "offsetof(struct pci_ser, devices) == 8"');
  });
});
