import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { abis } from '../../src/index.js';
import { rules, validate } from '../../src/validate/index.js';

/** The validation rules a blob shows without a memory image (the BLOCK_* rules need the chain). */
const FLAT_RULES = [
  'BLOB_TRUNCATED', 'NR_EXCEEDS_MAX', 'ENTRIES_UNSORTED', 'DUPLICATE_DEVICE', 'NR_MISMATCH', 'REFCOUNT_NOT_ONE',
  'SKELETON_NOT_EMPTY', 'FREE_SLOT_NONZERO', 'RESERVED_NONZERO', 'TRAILING_NONZERO', 'VERSION_MISMATCH', 'DEVICES_NULL',
];
const FIXTURES = join(__dirname, '../../fixtures');
const RULES = join(FIXTURES, 'rules');

interface RuleSidecar {
  abi: string;
  rule: string;
  made_by: string;
  description: string;
  must: string[];
  must_not: string[];
}

function filesIn(dir: string, ext: string): string[] {
  return readdirSync(dir).filter((f) => f.endsWith(ext)).sort();
}

const ruleCases = readdirSync(RULES).sort().flatMap((rule) =>
  filesIn(join(RULES, rule), '.json').map((f) => {
    const sidecar = JSON.parse(readFileSync(join(RULES, rule, f), 'utf8')) as RuleSidecar;
    return { name: `${rule}/${f.replace(/\.json$/, '')}`, sidecar, bytes: new Uint8Array(readFileSync(join(RULES, rule, f.replace(/\.json$/, '.bin')))) };
  }),
);

describe('rule fixtures (fixtures/rules, made by fixtures/gen/gen-rule-fixtures.c)', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'kho-abi-rule-fixtures-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('are what the generator writes today, byte for byte', () => {
    execFileSync(process.execPath, [join(__dirname, '../../scripts/gen-fixtures.mjs'), 'rules', tmp]);
    const list = (dir: string) => readdirSync(dir, { recursive: true }).map(String).sort();
    expect(list(tmp)).toEqual(list(RULES));
    for (const f of list(RULES).filter((x) => x.includes('.'))) {
      expect(Buffer.compare(readFileSync(join(tmp, f)), readFileSync(join(RULES, f))), f).toBe(0);
    }
  });

  it('cover every rule that concerns flat layouts and block roots', () => {
    const covered = new Set(ruleCases.map((c) => c.sidecar.rule));
    for (const id of FLAT_RULES) expect(covered.has(id), id).toBe(true);
    for (const id of FLAT_RULES) expect(rules.some((r) => r.id === id), id).toBe(true);
  });

  it.each(ruleCases.map((c) => [c.name, c] as const))('%s triggers what its sidecar says', (_n, c) => {
    const fired = new Set(validate(c.bytes, c.sidecar.abi).findings.map((f) => f.rule));
    expect(c.sidecar.must).toContain(c.sidecar.rule);
    for (const r of c.sidecar.must) expect(fired.has(r as never), `must ${r}`).toBe(true);
    for (const r of c.sidecar.must_not) expect(fired.has(r as never), `must not ${r}`).toBe(false);
  });
});

/**
 * Valid fixtures that record a kernel writer's own inconsistency, as their
 * sidecar descriptions say: dmatlack 2932bac0 does not decrement nr_devices.
 */
const DECLARED: Record<string, string[]> = {
  'pci-v2__flat8-max64/hole-nr-stale': ['NR_MISMATCH'],
  'pci-v2__flat8-max64/enospc-with-hole': ['NR_MISMATCH'],
};

describe('every layout fixture (fixtures/<id>) validates under its id', () => {
  const cases = abis.flatMap((a) => {
    const dir = a.id.replace('/', '__');
    return filesIn(join(FIXTURES, dir), '.bin').map((f) => ({ name: `${dir}/${f.replace(/\.bin$/, '')}`, abi: a.id, file: join(FIXTURES, dir, f) }));
  });

  it('has fixtures for every id', () => {
    expect(new Set(cases.map((c) => c.abi)).size).toBe(abis.length);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', (name, c) => {
    const sidecar = JSON.parse(readFileSync(c.file.replace(/\.bin$/, '.json'), 'utf8')) as { abi: string; description: string };
    expect(sidecar.abi).toBe(c.abi);
    const errors = validate(new Uint8Array(readFileSync(c.file)), c.abi).findings.filter((f) => f.severity === 'error');
    expect(errors.map((f) => f.rule)).toEqual(DECLARED[name] ?? []);
    if (DECLARED[name]) expect(sidecar.description).toMatch(/NOT decremented|nr_devices \d+ == max/);
  });
});
