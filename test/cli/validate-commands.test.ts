import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { afterAll, describe, expect, it } from 'vitest';
import { dev, makeBlob } from '../validate/blob.js';
import { runCli } from './run-cli.js';
import { generateImages } from '../helpers/gen-images.js';
import { sarifSchema } from '../helpers/sarif-schema.js';

const RULES = 'fixtures/rules';
const unsorted = `${RULES}/ENTRIES_UNSORTED/swapped.bin`;
const stale = `${RULES}/FREE_SLOT_NONZERO/past-nr-stale.bin`;
const good = 'fixtures/pci-v1__flat8-max64/sorted-vmd.bin';
const ID = ['--abi', 'pci-v1/flat8-max64'];

describe('kho-abi validate', () => {
  it('prints compiler-style diagnostics and exits 1 on an error', async () => {
    const r = await runCli(['validate', unsorted, ...ID]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${unsorted}:0x20: error[ENTRIES_UNSORTED]: devices[2] 0000:04:00.0 sorts before devices[1] 0000:05:00.0`);
    expect(r.stdout.trim().split('\n').at(-1)).toBe(`${unsorted} under pci-v1/flat8-max64: invalid (1 error, 0 warnings)`);
  });

  it('exits 0 on warnings, 1 with --strict', async () => {
    expect((await runCli(['validate', stale, ...ID])).code).toBe(0);
    expect((await runCli(['validate', stale, ...ID, '--strict'])).code).toBe(1);
  });

  it('prints JSON: one object, or an array with file for several blobs', async () => {
    const one = JSON.parse((await runCli(['validate', unsorted, ...ID, '--json'])).stdout);
    expect(one).toEqual({ valid: false, findings: [{ rule: 'ENTRIES_UNSORTED', severity: 'error', message: expect.any(String), offset: 32, index: 2 }] });
    const many = await runCli(['validate', good, stale, ...ID, '--format', 'json']);
    expect(many.code).toBe(0);
    expect(JSON.parse(many.stdout)).toEqual([
      { file: good, valid: true, findings: [] },
      { file: stale, valid: true, findings: [expect.objectContaining({ rule: 'FREE_SLOT_NONZERO', severity: 'warning', offset: 24, index: 1 })] },
    ]);
  });

  it('validates every file of a directory, sorted, leaving the sidecars out', async () => {
    const r = await runCli(['validate', 'fixtures/pci-v1__flat8-max64', ...ID, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).map((x: { file: string }) => x.file)).toEqual(['sorted-vmd.bin', 'two-pages.bin', 'unpreserve-stale.bin'].map((f) => `fixtures/pci-v1__flat8-max64/${f}`));
    expect(r.stderr).toBe('');
  });

  it('prints GitHub workflow annotations', async () => {
    const r = await runCli(['validate', unsorted, stale, ...ID, '--format', 'github']);
    expect(r.code).toBe(1);
    expect(r.stdout.trim().split('\n')).toEqual([
      expect.stringMatching(new RegExp(`^::error file=${unsorted},title=ENTRIES_UNSORTED::devices\\[2\\] .* \\(at 0x20\\)$`)),
      expect.stringMatching(new RegExp(`^::warning file=${stale},title=FREE_SLOT_NONZERO::`)),
    ]);
  });

  it('prints SARIF the schema accepts for a blob read from a memory image too (its name is not a plain path)', async () => {
    const images = await generateImages();
    const r = await runCli(['validate', '--memory', join(images, 'bad-cycle.core'), '--root-pa', '0x100000', '--abi', 'pci/blk16-v1', '--format', 'sarif']);
    expect(r.code).toBe(1);
    const log = JSON.parse(r.stdout);
    const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
    addFormats.default(ajv);
    const check = ajv.compile(sarifSchema());
    expect(check(log), ajv.errorsText(check.errors)).toBe(true);
    expect(decodeURI(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri)).toBe(`${join(images, 'bad-cycle.core')}[pci_ser@0x100000]`);
  });

  it('prints SARIF 2.1.0 that the schema accepts, with rule metadata and byte regions', async () => {
    const r = await runCli(['validate', unsorted, stale, ...ID, '--format', 'sarif']);
    expect(r.code).toBe(1);
    const log = JSON.parse(r.stdout);
    const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
    addFormats.default(ajv); // uri, uri-reference, date-time: checked, not ignored
    const check = ajv.compile(sarifSchema());
    expect(check(log), ajv.errorsText(check.errors)).toBe(true);
    const run = log.runs[0];
    expect(run.tool.driver.rules.map((x: { id: string }) => x.id)).toEqual(expect.arrayContaining(['ENTRIES_UNSORTED', 'DUPLICATE_DEVICE', 'FREE_SLOT_NONZERO']));
    expect(run.results[0]).toMatchObject({
      ruleId: 'ENTRIES_UNSORTED',
      level: 'error',
      locations: [{ physicalLocation: { artifactLocation: { uri: unsorted }, region: { byteOffset: 32, byteLength: 8 } } }],
    });
    expect(run.tool.driver.rules[run.results[0].ruleIndex].id).toBe('ENTRIES_UNSORTED');
  });

  it('exits 2 for an unknown id, a missing file or an empty directory', async () => {
    expect((await runCli(['validate', good, '--abi', 'pci-v9'])).code).toBe(2);
    const missing = await runCli(['validate', 'no/such.bin', ...ID]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no/such.bin: no such file');
    const empty = mkdtempSync(join(tmpdir(), 'kho-abi-empty-'));
    expect((await runCli(['validate', empty, ...ID])).code).toBe(2);
    rmSync(empty, { recursive: true });
  });
});

describe('kho-abi detect', () => {
  it('lists candidates best first with reasons, as JSON', async () => {
    const r = await runCli(['detect', 'fixtures/pci__blk16-v1/root.bin', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.candidates[0]).toEqual({ abi: 'pci/blk16-v1', reasons: expect.arrayContaining(['version = 1 = PCI_LUO_FLB_VERSION 1']) });
  });

  it('says when ids share bytes, and exits 1 when nothing fits', async () => {
    const r = await runCli(['detect', 'fixtures/pci-v3__flat8-max32/bridges.bin']);
    expect(r.stdout).toMatch(/^note: .*lay out the same bytes/m);
    expect((await runCli(['detect', '-'], new Uint8Array(3))).code).toBe(1);
  });
});

describe('kho-abi diff', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'kho-abi-diff-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const a = join(tmp, 'v3.bin');
  const b = join(tmp, 'v4.bin');
  writeFileSync(a, makeBlob('pci-v1/flat8-max64', { root: { max_nr_devices: 3, nr_devices: 2 }, slots: [dev(0, 3, 0, 0), dev(0x10000, 1, 0, 0), {}] }));
  writeFileSync(b, makeBlob('pci-v2/flat8-max32', { root: { max_nr_devices: 3, nr_devices: 2 }, slots: [dev(0x10000, 1, 0, 0, { refcount: 1 }), {}, dev(0, 3, 0, 0, { refcount: 1 })] }));

  it('exits 0 for the same devices across ids', async () => {
    const r = await runCli(['diff', a, b, '--abi', 'pci-v1/flat8-max64', '--abi-b', 'pci-v2/flat8-max32']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n').at(-1)).toBe('same devices');
  });

  it('exits 1 for different devices, and marks differing bytes with --bytes', async () => {
    const r = await runCli(['diff', a, 'fixtures/pci-v1__flat8-max64/sorted-vmd.bin', ...ID, '--bytes']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^\+ 0000:03:00\.1 {2}\(devices\[1\]/m);
    expect(r.stdout).toMatch(/^! 00000000: 0300 .*│ 0f00 .*pci_ser\.max_nr_devices = 3 \| pci_ser\.max_nr_devices = 15$/m);
    expect(r.stdout).toMatch(/^ {12}\^\^ +│ \^\^$/m);
  });

  it('prints JSON', async () => {
    const r = await runCli(['diff', a, b, '--abi', 'pci-v1/flat8-max64', '--abi-b', 'pci-v2/flat8-max32', '--json']);
    expect(JSON.parse(r.stdout)).toMatchObject({ a, b, abiA: 'pci-v1/flat8-max64', abiB: 'pci-v2/flat8-max32', same: true });
  });
});
