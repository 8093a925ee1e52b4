import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, runCli } from '../cli/run-cli.js';
import { sarifSchema } from '../helpers/sarif-schema.js';

/**
 * A git repository built from fixtures/kernel-tree with one commit per kind of change a
 * kernel developer makes across include/linux/kho/abi, and the exact findings and exit code
 * of range mode (and of directory mode on the same two trees) for each.
 */
const ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Fixture', GIT_AUTHOR_EMAIL: 'fixture@example.org', GIT_AUTHOR_DATE: '2026-09-01T00:00:00Z',
  GIT_COMMITTER_NAME: 'Fixture', GIT_COMMITTER_EMAIL: 'fixture@example.org', GIT_COMMITTER_DATE: '2026-09-01T00:00:00Z',
  GIT_CONFIG_NOSYSTEM: '1', HOME: tmpdir(),
};
const TREE = fileURLToPath(new URL('../../fixtures/kernel-tree', import.meta.url));
const ABI = 'include/linux/kho/abi';
let root: string;
let repo: string;
const git = (...args: string[]) => execFileSync('git', ['-C', repo, ...args], { env: ENV, encoding: 'utf8' }).trim();
const c: Record<string, string> = {};

function commit(message: string, edits: Array<[string, string, string]>): string {
  for (const [file, from, to] of edits) {
    const path = join(repo, file);
    const text = from === '' ? '' : readFileSync(path, 'utf8');
    if (from !== '' && !text.includes(from)) throw new Error(`fixture edit: ${JSON.stringify(from)} not in ${file}`);
    writeFileSync(path, from === '' ? to : text.replace(from, to));
  }
  git('add', '-A');
  git('commit', '-q', '-m', message);
  return git('rev-parse', 'HEAD');
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'kho-abi-tree-'));
  repo = join(root, 'linux');
  mkdirSync(repo);
  git('init', '-q', '-b', 'master');
  cpSync(TREE, repo, { recursive: true });
  git('add', '-A');
  git('commit', '-q', '-m', 'base');
  c.base = git('rev-parse', 'HEAD');
  c.doc = commit('memfd: reword the DOC block', [[`${ABI}/memfd.h`, 'Folios of a memfd, each a page frame number and flags in one word.', 'Every folio of a memfd: its page frame number and its flags share one word.']]);
  c.bits = commit('memfd: one more pfn bit', [[`${ABI}/memfd.h`, 'u64 pfn:52;\n\tu64 flags:12;', 'u64 pfn:53;\n\tu64 flags:11;']]);
  c.composite = commit('luo: session flags, bump', [
    [`${ABI}/luo.h`, '\tu64 files;\n\tu64 count;\n} __packed;', '\tu64 files;\n\tu64 count;\n\tunsigned long flags;\n} __packed;'],
    [`${ABI}/luo.h`, '"luo-v4" KHO_SUB_COMPAT', '"luo-v5" KHO_SUB_COMPAT'],
  ]);
  c.moved = commit('hugetlb: hstate in its own header', [
    [`${ABI}/hugetlb.h`, '/**\n * struct hugetlb_hstate_ser - one huge page size.\n * @nr_pages: preserved pages.\n * @order:    page order.\n */\nstruct hugetlb_hstate_ser {\n\tu64 nr_pages;\n\tu8 order;\n} __packed;\n', '#include <linux/kho/abi/hstate.h>\n'],
    [`${ABI}/hstate.h`, '', '/* SPDX-License-Identifier: GPL-2.0 */\n#ifndef _FIXTURE_KHO_ABI_HSTATE_H\n#define _FIXTURE_KHO_ABI_HSTATE_H\n\n#include <linux/types.h>\n\n/**\n * struct hugetlb_hstate_ser - one huge page size.\n * @nr_pages: preserved pages.\n * @order:    page order.\n */\nstruct hugetlb_hstate_ser {\n\tu64 nr_pages;\n\tu8 order;\n} __packed;\n\n#endif\n'],
  ]);
  c.broken = commit('iommu: a long double; cpu: reword a member', [
    [`${ABI}/iommu.h`, '\tstruct iommu_domain *restored;', '\tstruct iommu_domain *restored;\n\tlong double scale;'],
    [`${ABI}/cpu.h`, ' * @online:   whether it runs.', ' * @online:   whether the CPU still executes its workload.'],
  ]);
  execFileSync('git', ['clone', '-q', '--bare', repo, join(root, 'origin.git')], { env: ENV });
  git('remote', 'add', 'origin', join(root, 'origin.git'));
  git('push', '-q', '-f', 'origin', `${c.base}:refs/heads/master`);
  git('fetch', '-q', 'origin');
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

type Finding = { rule: string; severity: string; header?: string; struct?: string; field?: string; file?: string; line?: number; column?: number; message: string };

async function range(base: string, head: string, ...extra: string[]) {
  const r = await runCli(['abi-diff', '--repo', repo, '--base', base, '--head', head, '--format', 'json', ...extra]);
  const findings = r.stdout ? (JSON.parse(r.stdout) as { findings: Finding[] }).findings : [];
  return { code: r.code, stderr: r.stderr, findings, rules: findings.map((f) => `${f.severity}:${f.rule}:${f.header?.replace(`${ABI}/`, '')}:${f.struct ?? ''}${f.field ? `.${f.field}` : ''}`) };
}

describe('range mode over the whole KHO ABI directory of a git history', () => {
  it('a doc-only commit: every header read, nothing to report', async () => {
    const r = await range(c.base!, c.doc!);
    expect(r.stderr).toBe('');
    expect(r).toMatchObject({ code: 0 });
    expect(r.rules).toEqual([]);
  });

  it('a bit-field widened without a bump', async () => {
    const r = await range(c.doc!, c.bits!);
    expect(r.code).toBe(1);
    expect(r.rules).toEqual([
      'warning:FIELD_SIZE_CHANGED:memfd.h:memfd_luo_folio_ser.pfn',
      'warning:FIELD_OFFSET_CHANGED:memfd.h:memfd_luo_folio_ser.flags',
      'warning:FIELD_SIZE_CHANGED:memfd.h:memfd_luo_folio_ser.flags',
      'error:COMPAT_NOT_BUMPED:memfd.h:',
    ]);
    expect(r.findings.find((f) => f.rule === 'FIELD_SIZE_CHANGED')).toMatchObject({ file: `${ABI}/memfd.h`, line: 25, column: 6, message: 'struct memfd_luo_folio_ser.pfn: bit-field width changed from 52 to 53 bits' });
  });

  it('a composite compat string bumped with the change', async () => {
    const r = await range(c.bits!, c.composite!);
    expect(r.code).toBe(0);
    expect(r.rules).toEqual(['info:STRUCT_SIZE_CHANGED:luo.h:luo_session_ser', 'info:FIELD_ADDED:luo.h:luo_session_ser.flags', 'warning:POINTER_MEMBER:luo.h:luo_session_ser.flags']);
    expect(r.findings[2]!.message).toBe('struct luo_session_ser.flags: unsigned long is 8 bytes here but its size depends on the word size of the kernel that writes it; use a fixed-width type (u64 for a physical address)');
  });

  it('a struct moved to a new header is not removed', async () => {
    const r = await range(c.composite!, c.moved!);
    expect(r.code).toBe(0);
    expect(r.rules).toEqual([]);
  });

  it('an unparseable header is one HEADER_UNSUPPORTED finding and the others are still diffed', async () => {
    const r = await range(c.moved!, c.broken!);
    expect(r.code).toBe(1);
    expect(r.rules).toEqual(['warning:FIELD_DOC_CHANGED:cpu.h:cpu_preserved_ser.online', 'error:COMPAT_NOT_BUMPED:cpu.h:', 'error:HEADER_UNSUPPORTED:iommu.h:']);
    expect(r.findings.at(-1)).toMatchObject({ file: `${ABI}/iommu.h`, line: 26, column: 2, message: `long double is not supported (no fixed layout across the targets) (at ${c.broken}); ${ABI}/iommu.h was not diffed` });
  });

  it('the whole range, in text', async () => {
    const r = await runCli(['abi-diff', '--repo', repo, '--base', c.base!, '--head', c.broken!]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`==== ABI differences detected in ${ABI}/memfd.h from ${c.base} -> ${c.broken} ====`);
    expect(r.stdout.trim().split('\n').at(-1)).toBe('error - 3/9 KHO ABI headers appear _not_ to be backwards compatible (compat string not bumped)');
  });

  it('--cc needs the headers on disk', async () => {
    expect(await runCli(['abi-diff', '--repo', repo, '--base', c.base!, '--head', c.doc!, '--cc', 'gcc'])).toMatchObject({
      code: 2,
      stderr: 'kho-abi: error: --cc needs the headers on disk: use directory mode (two checkouts) or header files, not git revisions\n',
    });
  });

  it('--path narrows the headers', async () => {
    const r = await range(c.moved!, c.broken!, '--path', `${ABI}/cpu.h`);
    expect(r.rules).toEqual(['warning:FIELD_DOC_CHANGED:cpu.h:cpu_preserved_ser.online', 'error:COMPAT_NOT_BUMPED:cpu.h:']);
  });

  it('directory mode on two checkouts gives what range mode gives', async () => {
    const dirs = [join(root, 'a'), join(root, 'b')];
    for (const [d, ref] of [[dirs[0]!, c.moved!], [dirs[1]!, c.broken!]] as const) {
      mkdirSync(d);
      execFileSync('sh', ['-c', `git -C "$1" archive "$2" | tar -x -C "$3"`, 'sh', repo, ref, d], { env: ENV });
    }
    const r = await runCli(['abi-diff', dirs[0]!, dirs[1]!, '--format', 'json']);
    expect(r.code).toBe(1);
    const rules = (JSON.parse(r.stdout) as { findings: Finding[] }).findings.map((f) => f.rule);
    expect(rules).toEqual(['FIELD_DOC_CHANGED', 'COMPAT_NOT_BUMPED', 'HEADER_UNSUPPORTED']);
  });
});

/** The `steps` of the README's GitHub workflow: each step's `if:` and `run:`. */
function readmeSteps(): Array<{ if?: string; run?: string }> {
  const text = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const yaml = /```yaml\nname: KHO ABI guard\n([\s\S]*?)```/.exec(text)![1]!;
  const steps: Array<{ if?: string; run?: string }> = [];
  for (const line of yaml.split('\n')) {
    const m = /^\s+(-\s+)?(if|run|uses):\s*(.*)$/.exec(line);
    if (!m) continue;
    if (m[1]) steps.push({});
    const step = steps.at(-1)!;
    if (m[2] === 'if') step.if = m[3];
    if (m[2] === 'run') step.run = m[3];
  }
  return steps;
}

describe("the README's CI recipe, run as written", () => {
  it('fails the job on the broken commit, and writes a complete SARIF that validates', () => {
    git('checkout', '-q', c.broken!);
    let failed = false;
    const codes: number[] = [];
    for (const step of readmeSteps()) {
      if (!step.run) continue;
      const runIt = step.if === 'always()' || (step.if === 'failure()' ? failed : !failed);
      if (!runIt) continue;
      const cmd = step.run.replaceAll('npx --yes kho-abi', `"${process.execPath}" "${CLI}"`);
      const r = spawnSync('bash', ['-eo', 'pipefail', '-c', cmd], { cwd: repo, env: ENV, encoding: 'utf8' });
      codes.push(r.status ?? -1);
      if (r.status !== 0) failed = true;
    }
    expect(codes).toEqual([0, 1, 0]); // fetch, the github annotations (findings: the job fails), the SARIF
    const sarif = JSON.parse(readFileSync(join(repo, 'kho-abi.sarif'), 'utf8')) as { runs: Array<{ results: Array<{ ruleId: string }> }> };
    const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
    addFormats.default(ajv);
    expect(ajv.validate(sarifSchema(), sarif), JSON.stringify(ajv.errors)).toBe(true);
    const rules = sarif.runs[0]!.results.map((r) => r.ruleId);
    expect(rules).toContain('HEADER_UNSUPPORTED');
    expect(rules).toContain('COMPAT_NOT_BUMPED');
    expect(rules).toContain('FIELD_SIZE_CHANGED');
  });
});
