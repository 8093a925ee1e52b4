import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/errors.js';
import { abis, selectAbis } from '../src/registry.js';

describe('selectAbis: ids and compat strings to ids', () => {
  it('no names select every id', () => {
    expect(selectAbis([])).toEqual(abis);
  });

  it('a compat string selects every id that uses it; ids select themselves; registry order, each once', () => {
    const last = abis[abis.length - 1]!;
    const compat = abis[0]!.compatible;
    const got = selectAbis([last.id, compat, last.id, compat]).map((a) => a.id);
    expect(got).toEqual(abis.filter((a) => a.compatible === compat || a === last).map((a) => a.id));
  });

  it('an unknown name is a usage error naming the known strings', () => {
    expect(() => selectAbis(['pci-v9'])).toThrow(UsageError);
    expect(() => selectAbis(['pci-v9'])).toThrow(new RegExp(`known compat strings: .*${abis[0]!.compatible}`));
  });
});
