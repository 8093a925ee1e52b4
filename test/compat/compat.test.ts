import { describe, expect, it } from 'vitest';
import { compatMatrix, compatOutcome } from '../../src/compat/compat-outcome.js';
import { abis } from '../../src/registry.js';

describe('compatOutcome (recorded reader behaviour)', () => {
  const cases: Array<[string, string, string]> = [
    ['pci-v3/flat8-max32', 'pci-v3/flat8-max32', 'accepted'],
    ['pci-v2/flat8-max32', 'pci-v3/flat8-max32', 'dropped'],
    ['pci-v1/flat8-max32', 'pci-v1/flat8-max64', 'misparsed'],
    ['pci/blk16-v2', 'pci/blk16-v1', 'refused'],
    ['pci-v2/flat8-max32-hier', 'pci-v2/flat8-max32', 'semantics'],
  ];
  it.each(cases)('%s -> %s: %s', (from, to, outcome) => expect(compatOutcome(from, to).outcome).toBe(outcome));

  it('says which bytes are read as what', () => {
    expect(compatOutcome('pci-v1/flat8-max32', 'pci-v1/flat8-max64').details).toEqual([
      'bytes 0-7 (max_nr_devices|nr_devices) read as u64 max_nr_devices',
      'bytes 8-15 (devices[0].domain|devices[0].bdf|devices[0].padding) read as u64 nr_devices',
      "devices[] read from byte 16 in 8-byte entries; the writer's start at byte 8 in 8-byte entries",
    ]);
    expect(compatOutcome('pci-v1/flat4-max64', 'pci-v1/flat4-nomax').details[0]).toBe('bytes 0-7 (max_nr_devices) read as u64 nr_devices');
  });

  it('hierarchical refcounts handed to a 0/1 reader: bridges never finish', () => {
    expect(compatOutcome('pci-v2/flat8-max32-hier', 'pci-v2/flat8-max32').details.join(' ')).toMatch(/stay "incoming" forever/);
  });

  it('the matrix covers every pair; only the diagonal and same-meaning pairs are accepted', () => {
    const m = compatMatrix();
    expect(m.length).toBe(abis.length);
    expect(m.every((row) => row.length === abis.length)).toBe(true);
    const accepted = m.flat().filter((o) => o.outcome === 'accepted');
    expect(accepted.every((o) => o.from === o.to)).toBe(true);
    expect(accepted.length).toBe(abis.length);
  });

  it('the matrix of a selection is the same cells, in the order given', () => {
    const some = [abis[abis.length - 1]!, abis[0]!];
    const m = compatMatrix(some);
    expect(m.map((row) => row.map((o) => `${o.from} ${o.to} ${o.outcome}`))).toEqual(
      some.map((w) => some.map((r) => `${w.id} ${r.id} ${compatOutcome(w.id, r.id).outcome}`)),
    );
  });

  it('an ambiguous compat string is a usage error listing the ids', () => {
    expect(() => compatOutcome('pci-v1', 'pci-v3')).toThrow(/names 5 layouts/);
  });
});
