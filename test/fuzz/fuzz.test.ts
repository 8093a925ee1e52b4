import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { abis, getAbi } from '../../src/registry.js';
import { fuzz } from '../../src/fuzz/fuzz.js';
import { baseArb, caseArb } from '../../src/fuzz/cases.js';
import { mutators } from '../../src/fuzz/mutators.js';
import { checkCase } from '../../src/fuzz/properties.js';
import { longChainImage } from '../../src/fuzz/long-chain.js';
import { formatFuzz } from '../../src/format/fuzz.js';
import { rules } from '../../src/validate/index.js';

describe('fuzz() on every id', () => {
  it.each(abis.map((a) => a.id))('%s: 300 cases, no failure, the same counts for the same seed', (id) => {
    const a = fuzz({ abi: id, runs: 300, seed: 7 });
    expect(a.ids[0]!.failure).toBeUndefined();
    expect(a.cases).toBe(300);
    expect(fuzz({ abi: id, runs: 300, seed: 7 }).ids[0]!.made).toEqual(a.ids[0]!.made);
  });
});

describe('mutators', () => {
  it('every validation rule that validate checks has a targeted mutator', () => {
    const targeted = new Set(mutators.map((m) => m.rule).filter(Boolean));
    // CHAIN_NOT_CHECKED says how a block root was read (without its memory image), not what its bytes hold.
    expect(rules.map((r) => r.id).filter((r) => !targeted.has(r) && r !== 'CHAIN_NOT_CHECKED')).toEqual([]);
  });

  it.each(mutators.filter((m) => m.rule).map((m) => [m.name, m] as const))('%s yields its rule on every id it applies to', (_n, m) => {
    let applied = 0;
    for (const abi of abis) {
      const bases = fc.sample(baseArb(abi), { numRuns: 20, seed: 3 }).filter((b) => m.applies(b));
      for (const b of bases.slice(0, 3)) {
        for (const c of fc.sample(m.cases(b), { numRuns: 3, seed: 5 })) {
          applied++;
          const v = checkCase(c);
          expect(v.problem, `${abi.id} ${m.name}`).toBeUndefined();
          expect(v.findings.map((f) => f.rule)).toContain(m.rule);
        }
      }
    }
    expect(applied).toBeGreaterThan(0);
  });

  it('the 10,001-block image stays under 1 MiB', () => {
    expect(longChainImage(getAbi('pci/blk16-v2')).bytes.length).toBeLessThan(1 << 20);
  });

  it('valid cases of block ids are ELF images that round-trip through the image encoder', () => {
    const valid = fc.sample(caseArb(getAbi('pci-v2/blk12')), { numRuns: 200, seed: 11 }).filter((c) => c.made === 'valid');
    expect(valid.length).toBeGreaterThan(10);
    for (const c of valid) {
      expect(c.image).toBeDefined();
      expect(checkCase(c).problem).toBeUndefined();
    }
  });

  it('a broken case is caught: a valid blob claimed to carry a rule it lacks', () => {
    const [c] = fc.sample(caseArb(getAbi('pci-v3/flat8-max32')).filter((x) => x.made === 'valid'), { numRuns: 1, seed: 1 });
    expect(checkCase({ ...c!, expect: ['BLOB_TRUNCATED'] }).problem).toMatch(/expected BLOB_TRUNCATED/);
  });
});

describe('the fuzz report', () => {
  it('prints a failure with its seed, path, replay command and the shrunk case as hex', () => {
    const text = formatFuzz(
      {
        seed: 42, runs: 10, cases: 3, failures: 1, seconds: 0.1,
        ids: [{ abi: 'pci-v3/flat8-max32', cases: 3, made: { valid: 3 }, interrupted: false, failure: { abi: 'pci-v3/flat8-max32', seed: 42, path: '2:1', made: 'valid', problem: 'round trip: byte 8 came back as 0x0 (was 0x1)', hex: '0100000000000000' } }],
      },
      'text',
    );
    expect(text).toBe(
      [
        'seed 42, 10 cases per id',
        'pci-v3/flat8-max32        3 cases  FAILED',
        '  valid 3',
        '  property: round trip: byte 8 came back as 0x0 (was 0x1)',
        '  made by: valid; seed 42, path 2:1',
        '  replay: kho-abi fuzz --abi pci-v3/flat8-max32 --seed 42 --path 2:1',
        '  counterexample (shrunk, 8 bytes):',
        '    0100000000000000',
        '3 cases, 1 id FAILED',
      ].join('\n'),
    );
  });
});
