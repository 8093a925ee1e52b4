import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';

const ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Fixture', GIT_AUTHOR_EMAIL: 'fixture@example.org', GIT_AUTHOR_DATE: '2026-09-01T00:00:00Z',
  GIT_COMMITTER_NAME: 'Fixture', GIT_COMMITTER_EMAIL: 'fixture@example.org', GIT_COMMITTER_DATE: '2026-09-01T00:00:00Z',
  GIT_CONFIG_NOSYSTEM: '1', HOME: tmpdir(),
};
const PCI_H = 'include/linux/kho/abi/pci.h';
const BLOCK_H = 'include/linux/kho/abi/block.h';
let repo: string;
const git = (...args: string[]) => execFileSync('git', ['-C', repo, ...args], { env: ENV, encoding: 'utf8' }).trim();

/** Commit an edit of pci.h (a list of [from, to] replacements) and return the commit. */
function commit(message: string, edits: Array<[string, string]>, file = PCI_H): string {
  let text = readFileSync(join(repo, file), 'utf8');
  for (const [from, to] of edits) {
    if (!text.includes(from)) throw new Error(`fixture edit: ${JSON.stringify(from)} not found`);
    text = text.replace(from, to);
  }
  writeFileSync(join(repo, file), text);
  git('add', file);
  git('commit', '-q', '-m', message);
  return git('rev-parse', 'HEAD');
}

const c: Record<string, string> = {};

beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), 'kho-abi-git-'));
  git('init', '-q', '-b', 'master');
  mkdirSync(join(repo, 'include/linux/kho/abi'), { recursive: true });
  writeFileSync(join(repo, PCI_H), readFileSync(new URL('../../fixtures/headers/pci-blk16-v1.h', import.meta.url)));
  writeFileSync(join(repo, BLOCK_H), '#define KHO_BLOCK_COMPATIBLE "block-v1"\nstruct kho_block_header_ser {\n\tu64 next;\n\tu64 count;\n} __packed;\n');
  writeFileSync(join(repo, 'README'), 'x\n');
  git('add', '.');
  git('commit', '-q', '-m', 'base');
  c.base = git('rev-parse', 'HEAD');
  c.readme = commit('unrelated', [['x', 'y']], 'README');
  c.typeNoBump = commit('a: nr_devices becomes signed, no bump', [['\tu32 nr_devices;', '\ts32 nr_devices;']]);
  c.typeBump = commit('b: refcount widened, compat bumped', [
    ['\tu16 refcount;', '\tu32 refcount;'],
    ['#define PCI_LUO_FLB_COMPATIBLE "pci"', '#define PCI_LUO_FLB_COMPATIBLE "pci-v10"'],
  ]);
  c.docOnly = commit('c: refcount kernel-doc only', [['@refcount:   1 while the device is preserved, 0 for a free slot', '@refcount:   number of preserved devices at or below this device']]);
  c.versionMoved = commit('d: version moved', [['\tu32 version;\n\ts32 nr_devices;', '\ts32 nr_devices;\n\tu32 version;']]);
});

afterAll(() => rmSync(repo, { recursive: true, force: true }));

async function range(base: string, head: string, ...extra: string[]) {
  const r = await runCli(['abi-diff', '--repo', repo, '--base', base, '--head', head, '--format', 'json', ...extra]);
  const json = r.stdout ? (JSON.parse(r.stdout) as { findings: Array<{ rule: string; severity: string; file?: string; line?: number }> }) : undefined;
  return { code: r.code, stderr: r.stderr, rules: json?.findings.map((f) => `${f.severity}:${f.rule}`) ?? [], json };
}

describe('abi-diff --repo --base --head on a real git history', () => {
  it('an unchanged range (only a non-ABI file changed) reports nothing', async () => {
    expect(await range(c.base!, c.readme!)).toMatchObject({ code: 0, rules: [] });
    expect(await range(c.base!, c.base!)).toMatchObject({ code: 0, rules: [] });
  });

  it('(a) a field type change without a bump', async () => {
    const r = await range(c.readme!, c.typeNoBump!);
    expect(r).toMatchObject({ code: 1, rules: ['warning:FIELD_TYPE_CHANGED', 'error:COMPAT_NOT_BUMPED'] });
    expect(r.json!.findings[0]).toMatchObject({ file: PCI_H, line: 52, column: 6 });
  });

  it('(b) a change that bumps the compat string with it', async () => {
    expect(await range(c.typeNoBump!, c.typeBump!)).toMatchObject({
      code: 0,
      rules: ['info:STRUCT_SIZE_CHANGED', 'info:FIELD_SIZE_CHANGED'],
    });
  });

  it('(c) only the refcount kernel-doc changed', async () => {
    expect(await range(c.typeBump!, c.docOnly!)).toMatchObject({ code: 1, rules: ['warning:FIELD_DOC_CHANGED', 'error:COMPAT_NOT_BUMPED'] });
  });

  it('(d) the version field moved', async () => {
    const r = await range(c.docOnly!, c.versionMoved!);
    expect(r.code).toBe(1);
    expect(r.rules).toEqual(['error:VERSION_FIELD_MOVED', 'warning:FIELD_OFFSET_CHANGED', 'error:COMPAT_NOT_BUMPED']);
  });

  it('the whole range: text blocks like check-uapi.sh, and --allow', async () => {
    const text = await runCli(['abi-diff', '--repo', repo, '--base', c.base!, '--head', c.versionMoved!]);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(`==== ABI differences detected in ${PCI_H} from ${c.base} -> ${c.versionMoved} ====`);
    expect(text.stdout).toMatch(/error - 1\/2 KHO ABI headers appear _not_ to be backwards compatible/);
    const allowed = await range(c.typeBump!, c.docOnly!, '--allow', 'FIELD_DOC_CHANGED');
    expect(allowed).toMatchObject({ code: 0, rules: ['info:FIELD_DOC_CHANGED'] });
  });

  it('REF:PATH sides', async () => {
    const r = await runCli(['abi-diff', '--repo', repo, `${c.readme}:${PCI_H}`, `${c.typeNoBump}:${PCI_H}`, '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).findings.map((f: { rule: string }) => f.rule)).toEqual(['FIELD_TYPE_CHANGED', 'COMPAT_NOT_BUMPED']);
  });

  it('a ref named $(touch pwned) is only ever a ref name', async () => {
    const cwd = process.cwd();
    for (const args of [
      ['abi-diff', '--repo', repo, '--base', '$(touch pwned)'],
      ['abi-diff', '--repo', repo, `$(touch pwned):${PCI_H}`, `HEAD:${PCI_H}`],
      ['abi-diff', '--repo', repo, '--base', '--output=pwned'],
    ]) {
      const r = await runCli(args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/is not a commit/);
    }
    expect(existsSync(join(cwd, 'pwned'))).toBe(false);
    expect(existsSync(join(repo, 'pwned'))).toBe(false);
  });
});
