import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bigSlotsBlob } from '../../bench/big-blob.mjs';
import { elfCoreBytes } from '../../src/memory/write-elf-core.js';
import { khoStateChunks, PA } from '../helpers/kho-state.js';
import { LIMIT_KIB, measure } from '../helpers/measure-cli.js';
import { dev, makeBlob } from '../validate/blob.js';
import { CLI, expectEndedByHead, runCli } from './run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'kho-abi-streamed-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** `kho-abi ARGS` in a V8 heap of `mib` MiB: a report built whole in memory does not fit. */
function runInHeap(mib: number, args: readonly string[]) {
  const r = spawnSync(process.execPath, [`--max-old-space-size=${mib}`, CLI, ...args], { maxBuffer: 1 << 30 });
  return { code: r.status, stdout: r.stdout.toString('latin1'), stderr: r.stderr.toString() };
}

describe('validate of many blobs prints each blob as it is validated', () => {
  const ID = 'pci-v2/flat8-max32';
  // 100 slots of one device: 99 DUPLICATE_DEVICE errors in each of 2,000 blobs.
  const dups = makeBlob(ID, { root: { max_nr_devices: 100, nr_devices: 100 }, slots: Array.from({ length: 100 }, () => dev(0, 3, 0, 0, { refcount: 1 })) });
  const dir = join(tmp, 'captures');
  beforeAll(() => {
    mkdirSync(dir);
    for (let i = 0; i < 2000; i++) writeFileSync(join(dir, `blob-${String(i).padStart(4, '0')}.bin`), dups);
  });

  it("a blob's lines come out before the next blob is read (the next is standard input, still open)", async () => {
    const first = join(dir, 'blob-0000.bin');
    const child = spawn(process.execPath, [CLI, 'validate', first, '-', '--abi', ID], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    const done = new Promise<number | null>((resolve) => child.on('close', resolve));
    // Wait for the first blob's folded line while standard input is still open.
    await expect
      .poll(() => out, { timeout: 20_000, interval: 50 })
      .toMatch(new RegExp(`^${first}: error\\[DUPLICATE_DEVICE\\]: 79 more findings of this rule not shown \\(99 in all\\)$`, 'm'));
    expect(child.exitCode).toBe(null);
    child.stdin.end(makeBlob(ID, { root: { max_nr_devices: 1, nr_devices: 1 }, slots: [dev(0, 4, 0, 0, { refcount: 1 })] }));
    expect(await done).toBe(1);
    expect(out.trimEnd().split('\n').at(-1)).toBe(`2 blobs under ${ID}: 1 invalid (99 errors, 0 warnings)`);
  }, 60_000);

  it('2,000 blobs of 99 errors each, every one shown (--max-per-rule 0): peak RSS under 200 MiB; the summary counts them all', async () => {
    const r = await measure(['validate', dir, '--abi', ID, '--max-per-rule', '0']);
    expect(r.code).toBe(1);
    expect(r.rssKiB, `peak RSS ${r.rssKiB} KiB`).toBeLessThan(LIMIT_KIB);
    const lines = r.out.trimEnd().split('\n');
    expect(lines).toHaveLength(2000 * 99 + 1);
    expect(lines[0]).toBe(`${dir}/blob-0000.bin:0x10: error[DUPLICATE_DEVICE]: devices[1] 0000:03:00.0 repeats devices[0]`);
    expect(lines.at(-2)).toBe(`${dir}/blob-1999.bin:0x320: error[DUPLICATE_DEVICE]: devices[99] 0000:03:00.0 repeats devices[0]`);
    expect(lines.at(-1)).toBe(`2000 blobs under ${ID}: 2000 invalid (198000 errors, 0 warnings)`);
  }, 180_000);

  it.each([
    ['text', `2000 blobs under ${ID}: 2000 invalid (198000 errors, 0 warnings)`, 2000 * 99 + 1],
    ['github', `::error file=${dir}/blob-1999.bin,title=DUPLICATE_DEVICE::devices[99] 0000:03:00.0 repeats devices[0] (at 0x320)`, 2000 * 99],
  ])('--format %s, every finding, in a 32 MiB heap', (format, last, count) => {
    const r = runInHeap(32, ['validate', dir, '--abi', ID, '--format', format, '--max-per-rule', '0']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(count);
    expect(lines.at(-1)).toBe(last);
  }, 180_000);

  it('folded findings count in the summary of many blobs too', () => {
    const r = runInHeap(32, ['validate', dir, '--abi', ID]);
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2000 * 21 + 1);
    expect(lines.at(-1)).toBe(`2000 blobs under ${ID}: 2000 invalid (198000 errors, 0 warnings)`);
  }, 180_000);

  it('--format json: one array, written blob by blob in a 32 MiB heap', () => {
    const r = runInHeap(32, ['validate', dir, '--abi', ID, '--format', 'json', '--max-per-rule', '0']);
    expect(r.code).toBe(1);
    const results = JSON.parse(r.stdout) as Array<{ file: string; valid: boolean; findings: unknown[] }>;
    expect(results.map((x) => x.file)).toEqual(readdirSync(dir).sort().map((f) => join(dir, f)));
    expect(results.every((x) => !x.valid && x.findings.length === 99)).toBe(true);
  }, 180_000);

  it('a missing file among them is refused before any blob is printed', async () => {
    const r = await runCli(['validate', join(dir, 'blob-0000.bin'), join(dir, 'no-such.bin'), '--abi', ID]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`kho-abi: error: ${join(dir, 'no-such.bin')}: no such file\n`);
  });

  it.each([['text'], ['github'], ['json'], ['sarif']])('--format %s | head -1 ends the command at once, quietly, as decode does', async (format) => {
    const files = readdirSync(dir).map((f) => join(dir, f));
    await expectEndedByHead(['validate', ...files, '--abi', ID, '--format', format, '--max-per-rule', '0'], 1);
  }, 60_000);
});

describe('inspect streams the devices of a large chain', () => {
  const n = 500_000;
  let memory: string[];
  beforeAll(() => {
    // The handover state (dtc-built KHO tree, LUO, FLB table naming "pci" at PA.pci) in one core,
    // the pci_ser of 500,000 devices and its KHO block chain, written by kho-abi convert, in another.
    const state = join(tmp, 'state.core');
    writeFileSync(state, elfCoreBytes(khoStateChunks('luo-ser-v5').filter((c) => c.pa < PA.pci)));
    const flat = join(tmp, 'flat.bin');
    writeFileSync(flat, bigSlotsBlob(n));
    const chain = join(tmp, 'chain.core');
    execFileSync(process.execPath, [CLI, 'convert', flat, '--from', 'pci-v3/flat8-max32', '--to', 'pci/blk16-v1', '--out-root-pa', `0x${PA.pci.toString(16)}`, '-o', chain]);
    memory = ['--memory', state, '--memory', chain];
  }, 120_000);

  it.each([[[]], [['--flb-table-pa', `0x${PA.flb.toString(16)}`]]])('every device line in a 32 MiB heap (%j)', (extra) => {
    const r = runInHeap(32, ['inspect', ...memory, ...extra]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ {2}pci\/blk16-v1: consistent \(every rule of pci\/blk16-v1 holds \(981 KHO blocks, 500000 devices in use\)\)$/m);
    expect(r.stdout.match(/^ {6}\[\d+\] /gm)).toHaveLength(n);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('      [499999] 0007:a1:03.7   domain 0x0007  bdf 0xa11f  refcount 1');
  }, 180_000);

  it('--json in a 32 MiB heap: every device', () => {
    const r = runInHeap(32, ['inspect', ...memory, '--json']);
    expect(r.code).toBe(0);
    const devices = JSON.parse(r.stdout).trees[0].pci[0].devices as Array<{ address: string }>;
    expect(devices).toHaveLength(n);
    expect(devices.at(-1)!.address).toBe('0007:a1:03.7');
  }, 180_000);

  it('| head -3 ends the command at once, quietly', async () => {
    const r = await expectEndedByHead(['inspect', ...memory], 3);
    expect(r.lines[2]).toMatch(/^1 KHO tree found by scanning \d+ page starts of /);
  }, 60_000);
});
