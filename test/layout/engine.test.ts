import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { definitions } from '../../abi/index.js';
import { layoutStructs } from '../../src/layout/engine.js';
import { definitionFingerprint, layoutFingerprint } from '../../src/layout/fingerprint.js';
import { abis, containers } from '../../src/registry.js';

describe('layoutStructs', () => {
  it('aligns naturally, pads the tail and records the hole', () => {
    const s = layoutStructs([{ name: 'a', fields: [{ name: 'x', type: 'u8' }, { name: 'y', type: 'u64' }, { name: 'z', type: 'u16' }] }]).get('a')!;
    expect(s.fields.map((f) => f.offset)).toEqual([0, 8, 16]);
    expect(s.size).toBe(24);
    expect(s.gaps).toEqual([
      { offset: 1, size: 7, after: 'x', kind: 'hole' },
      { offset: 18, size: 6, after: null, kind: 'padding' },
    ]);
  });

  it('packs to byte alignment unless a member is __aligned', () => {
    const m = layoutStructs([
      { name: 'p', packed: true, fields: [{ name: 'a', type: 'u32' }, { name: 'b', type: 'u64' }] },
      { name: 'q', packed: true, fields: [{ name: 'a', type: 'u8' }, { name: 'b', type: 'u32', aligned: 4 }] },
    ]);
    expect(m.get('p')!.fields[1]!.offset).toBe(4);
    expect(m.get('p')!.size).toBe(12);
    expect(m.get('q')!.fields[1]!.offset).toBe(4);
    expect(m.get('q')!.align).toBe(4);
  });

  it('gives a flexible array member size 0 at its element alignment', () => {
    const m = layoutStructs([
      { name: 'e', fields: [{ name: 'v', type: 'u64' }] },
      { name: 'r', fields: [{ name: 'n', type: 'u32' }, { name: 'd', type: 'struct e', flexible: true }] },
    ]);
    const r = m.get('r')!;
    expect(r.fields[1]).toMatchObject({ offset: 8, size: 0, flexible: true, count: 0 });
    expect(r.size).toBe(8);
  });

  it('rejects a flexible array that is not last and a bad __aligned', () => {
    expect(() => layoutStructs([{ name: 'x', fields: [{ name: 'a', type: 'u8', flexible: true }, { name: 'b', type: 'u8' }] }])).toThrow(/not last/);
    expect(() => layoutStructs([{ name: 'x', aligned: 3, fields: [] }])).toThrow(/power of two/);
  });
});

describe('registry layouts', () => {
  it('has the twelve ids of the contract with the catalog sizes (and may have more)', () => {
    const sizes = Object.fromEntries(abis.map((a) => [a.id, [a.root.size, a.entry.size]]));
    expect(sizes).toMatchObject({
      'pci-v1/flat4-nomax': [8, 4],
      'pci-v1/flat4-max64': [16, 4],
      'pci-v1/flat8-max64': [16, 8],
      'pci-v2/flat8-max64': [16, 8],
      'pci-v1/flat8-max32': [8, 8],
      'pci-v2/flat8-max32': [8, 8],
      'pci-v2/flat8-max32-hier': [8, 8],
      'pci-v3/flat8-max32': [8, 8],
      'pci-v1/blk12': [12, 8],
      'pci-v2/blk12': [12, 8],
      'pci/blk16-v1': [16, 8],
      'pci/blk16-v2': [16, 8],
    });
  });

  it('gives ids with the same bytes the same fingerprint and others a different one', () => {
    const fp = (id: string) => abis.find((a) => a.id === id)!.fingerprint;
    expect(fp('pci-v1/flat8-max64')).toBe(fp('pci-v2/flat8-max64'));
    expect(fp('pci-v1/flat8-max32')).toBe(fp('pci-v3/flat8-max32'));
    expect(fp('pci-v1/flat8-max32')).not.toBe(fp('pci-v1/flat8-max64'));
    expect(fp('pci-v1/blk12')).not.toBe(fp('pci/blk16-v1'));
    expect(layoutFingerprint([])).toMatch(/^[0-9a-f]{16}$/);
  });

  it('gives every registry entry the fingerprint its structs hash to (generated into abi/index.ts, which is fresh)', () => {
    expect(definitions.length).toBe(abis.length + containers.length);
    for (const entry of [...abis, ...containers]) {
      expect(entry.fingerprint, entry.id).toBe(layoutFingerprint(entry.structs));
      expect(entry.fingerprint, entry.id).toBe(definitionFingerprint(definitions.find((d) => d.id === entry.id)!));
    }
    expect(() => execFileSync(process.execPath, ['scripts/gen-abi-index.mjs', '--check'], { stdio: 'pipe' })).not.toThrow();
  });
});
