import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { abis, decode, encode, toJson } from '../src/index.js';

const MADE_BY = 'fixtures/gen/gen-fixtures.c';
const fixturesDir = join(import.meta.dirname, '..', 'fixtures');

/** The sidecar gen-fixtures.c writes beside each .bin. */
interface Sidecar {
  abi: string;
  compatible: string;
  scenario: string;
  made_by: string;
  description: string;
  size: number;
  root: Record<string, number | string>;
  devices: Array<Record<string, number | string>> | null;
}

/** Every file under dir, as paths relative to top, sorted. */
function filesUnder(dir: string, top = dir): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name), top) : e.isFile() ? [relative(top, join(dir, e.name))] : []))
    .sort();
}

/** The committed fixtures gen-fixtures.c owns: `<dir>/<scenario>` for each sidecar that names it as maker. */
function committedFixtures(): Array<{ name: string; sidecar: Sidecar }> {
  return filesUnder(fixturesDir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => ({ name: f.slice(0, -'.json'.length), sidecar: JSON.parse(readFileSync(join(fixturesDir, f), 'utf8')) as Sidecar }))
    .filter((x) => x.sidecar.made_by === MADE_BY);
}

const fixtures = committedFixtures();
const tmp = mkdtempSync(join(tmpdir(), 'kho-abi-fixtures-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('fixtures are reproducible', () => {
  it('gen-fixtures.c, compiled with gcc and run now, writes exactly the committed files, byte for byte', async () => {
    const script = join(import.meta.dirname, '..', 'scripts', 'gen-fixtures.mjs');
    await promisify(execFile)(process.execPath, [script, tmp]);
    const produced = filesUnder(tmp);
    const committed = fixtures.flatMap((x) => [`${x.name}.bin`, `${x.name}.json`]).sort();
    expect(produced).toEqual(committed);
    for (const f of produced) {
      expect(readFileSync(join(tmp, f)).equals(readFileSync(join(fixturesDir, f))), f).toBe(true);
    }
  });
});

describe.each(fixtures.map((x) => [x.name, x.sidecar] as const))('fixture %s', (name, sidecar) => {
  const bin = () => new Uint8Array(readFileSync(join(fixturesDir, `${name}.bin`)));

  it('decodes to the root and devices the C model wrote in the sidecar', () => {
    const json = toJson(decode(bin(), sidecar.abi));
    expect(json.abi).toBe(sidecar.abi);
    expect(json.compatible).toBe(sidecar.compatible);
    expect(json.size).toBe(sidecar.size);
    expect(json.root).toEqual(sidecar.root);
    expect(json.devices).toEqual(sidecar.devices);
  });

  it('re-encodes from decode --json byte for byte', () => {
    const bytes = bin();
    const json = JSON.parse(JSON.stringify(toJson(decode(bytes, sidecar.abi))));
    expect(Buffer.from(encode(json, sidecar.abi)).equals(Buffer.from(bytes))).toBe(true);
  });
});

describe('fixture coverage', () => {
  it('has a fixture for every flat id and a root fixture for every block id', () => {
    expect(existsSync(join(fixturesDir, 'gen', 'gen-fixtures.c'))).toBe(true);
    for (const a of abis) {
      const mine = fixtures.filter((x) => x.sidecar.abi === a.id);
      if (a.storage === 'inline') expect(mine.length, a.id).toBeGreaterThan(0);
      else expect(mine.filter((x) => x.sidecar.devices === null && x.sidecar.scenario.startsWith('root')).length, a.id).toBeGreaterThan(0);
    }
  });
});
