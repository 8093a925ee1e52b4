import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bigSlotsBlob } from '../../bench/big-blob.mjs';
import { generateImages } from '../helpers/gen-images.js';
import { dev, makeBlob } from '../validate/blob.js';
import { CLI, expectEndedByHead, runCli } from './run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'kho-abi-truth-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const file = (name: string, bytes: Uint8Array) => {
  const path = join(tmp, name);
  writeFileSync(path, bytes);
  return path;
};

describe('decode of an invalid blob prints what it read, then the findings, and exits 1', () => {
  const cases: Array<[string, string, Uint8Array, string, RegExp]> = [
    ['nr_devices 0xffffffff in a 1-slot blob', 'pci-v3/flat8-max32', makeBlob('pci-v3/flat8-max32', { root: { max_nr_devices: 1, nr_devices: 0xffffffff }, slots: [dev(0, 3, 0, 0, { refcount: 1 })] }), 'NR_EXCEEDS_MAX', /\[0\] 0000:03:00\.0/],
    ['duplicate devices', 'pci-v2/flat8-max32', makeBlob('pci-v2/flat8-max32', { root: { max_nr_devices: 2, nr_devices: 2 }, slots: [dev(0, 3, 0, 0, { refcount: 1 }), dev(0, 3, 0, 0, { refcount: 1 })] }), 'DUPLICATE_DEVICE', /\[1\] 0000:03:00\.0/],
    ['nr_devices > max_nr_devices', 'pci-v1/flat8-max64', makeBlob('pci-v1/flat8-max64', { root: { max_nr_devices: 1, nr_devices: 2 }, slots: [dev(0, 3, 0, 0), dev(0, 4, 0, 0)] }), 'NR_EXCEEDS_MAX', /devices: 2 in use/],
    ['unsorted entries of a sorted layout', 'pci-v1/flat4-nomax', makeBlob('pci-v1/flat4-nomax', { root: { nr_devices: 2 }, slots: [dev(0, 4, 0, 0), dev(0, 3, 0, 0)] }), 'ENTRIES_UNSORTED', /\[1\] 0000:03:00\.0/],
    ['a wrong version', 'pci/blk16-v2', makeBlob('pci/blk16-v2', { root: { version: 1, nr_devices: 1, devices: 0x101000 } }), 'VERSION_MISMATCH', /version {4}= 1/],
  ];
  it.each(cases)('%s', async (name, abi, bytes, rule, shown) => {
    const path = file(`${name.replace(/\W+/g, '-')}.bin`, bytes);
    const text = await runCli(['decode', path, '--abi', abi]);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(shown);
    expect(text.stderr).toMatch(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:0x[0-9a-f]+: error\\[${rule}\\]`, 'm'));
    const json = await runCli(['decode', path, '--abi', abi, '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).findings.map((f: { rule: string }) => f.rule)).toContain(rule);
    expect(json.stderr).toBe('');
  });

  it('a valid blob: exit 0, no findings, and decode --json | encode still gives the bytes back', async () => {
    const path = file('ok.bin', makeBlob('pci-v3/flat8-max32', { root: { max_nr_devices: 2, nr_devices: 1 }, slots: [dev(0, 3, 0, 0, { refcount: 1 }), {}] }));
    const json = await runCli(['decode', path, '--abi', 'pci-v3/flat8-max32', '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout).findings).toEqual([]);
    const back = await runCli(['encode', '-'], json.stdout);
    expect(back.stdoutBytes.equals(execFileSync('cat', [path]))).toBe(true);
  });
});

describe('hexdump of a truncated blob', () => {
  it('prints every byte it has, as xxd does, then BLOB_TRUNCATED (exit 1)', async () => {
    const bytes = makeBlob('pci-v1/flat8-max64', { root: { max_nr_devices: 15, nr_devices: 5 }, slots: [dev(0, 3, 0, 0), dev(0, 4, 0, 0)], size: 37 });
    const path = file('short.bin', bytes);
    const r = await runCli(['hexdump', path, '--abi', 'pci-v1/flat8-max64']);
    expect(r.code).toBe(1);
    const hex = (text: string) => text.split('\n').filter(Boolean).map((l) => l.slice(l.indexOf(': ') + 2).split(/ {2,}/)[0]!.replace(/\s+/g, '')).join('');
    expect(hex(r.stdout)).toBe(hex(execFileSync('xxd', ['-c', '8', path], { encoding: 'utf8' })));
    expect(hex(r.stdout)).toHaveLength(37 * 2);
    expect(r.stdout).toMatch(/^00000000: 0f00 0000 0000 0000 .* pci_ser\.max_nr_devices = 15$/m);
    expect(r.stderr).toMatch(/short\.bin:0x25: error\[BLOB_TRUNCATED\]/);
  });
});

describe('block-layout roots without a memory image', () => {
  const random = () => new Uint8Array(execFileSync('head', ['-c', '4096', '/dev/urandom']));

  it('detect exits 1 for 4 KiB of random bytes; validate finds the root alone wrong under every block id', async () => {
    const path = file('random.bin', random());
    const d = await runCli(['detect', path]);
    expect(d.code).toBe(1);
    expect(d.stdout).toMatch(/consistent with no known id/);
    for (const abi of ['pci-v1/blk12', 'pci-v2/blk12', 'pci/blk16-v1', 'pci/blk16-v2']) {
      const v = await runCli(['validate', path, '--abi', abi]);
      expect(v.code).toBe(1);
      expect(v.stdout).toMatch(/error\[(BLOCK_MISALIGNED|BLOCK_CHAIN_TOO_LONG|VERSION_MISMATCH)\]/);
    }
  });

  it('a sound root is valid with the warning CHAIN_NOT_CHECKED (exit 0; --strict: 1)', async () => {
    const path = file('root.bin', makeBlob('pci/blk16-v1', { root: { version: 1, nr_devices: 3, devices: 0x101000 } }));
    const v = await runCli(['validate', path, '--abi', 'pci/blk16-v1']);
    expect(v).toMatchObject({ code: 0, stdout: `${path}:0x8: warning[CHAIN_NOT_CHECKED]: devices = 0x101000: the KHO block chain was not walked (no memory image), so only the root was checked\n${path} under pci/blk16-v1: valid (0 errors, 1 warning)\n` });
    expect((await runCli(['validate', path, '--abi', 'pci/blk16-v1', '--strict'])).code).toBe(1);
  });
});

describe('diff compares the roots too', () => {
  it.each([
    ['nr_devices', { max_nr_devices: 2, nr_devices: 2 }],
    ['max_nr_devices', { max_nr_devices: 3, nr_devices: 1 }],
  ])('%s differs: a difference, exit 1', async (field, root) => {
    const slots = [dev(0, 3, 0, 0, { refcount: 1 }), {}, {}];
    const a = file(`a-${field}.bin`, makeBlob('pci-v3/flat8-max32', { root: { max_nr_devices: 2, nr_devices: 1 }, slots: slots.slice(0, 2) }));
    const b = file(`b-${field}.bin`, makeBlob('pci-v3/flat8-max32', { root, slots: slots.slice(0, root.max_nr_devices) }));
    const r = await runCli(['diff', a, b, '--abi', 'pci-v3/flat8-max32']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`^~ pci_ser\\.${field} `, 'm'));
    expect(r.stdout).toMatch(/^1 root field difference$/m);
  });

  it('block roots without their chain: the findings, then a usage error naming --memory', async () => {
    const a = file('v1.bin', makeBlob('pci/blk16-v1', { root: { version: 1, nr_devices: 1, devices: 0x101000 } }));
    const r = await runCli(['diff', a, a, '--abi', 'pci/blk16-v1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/warning\[CHAIN_NOT_CHECKED\][^]*kho-abi: error: pci\/blk16-v1 keeps its devices in a KHO block chain: give the memory image that holds it \(--memory\)/);
  });
});

describe('text output streams', () => {
  const n = 2_000_000;
  let big: string;
  beforeAll(() => {
    big = file('2m.bin', bigSlotsBlob(n));
  });

  it('decode of 2,000,000 devices runs in a 96 MiB heap (the text is never one string)', () => {
    const out = execFileSync(process.execPath, ['--max-old-space-size=96', CLI, 'decode', big, '--abi', 'pci-v3/flat8-max32'], { maxBuffer: 1 << 30 });
    const text = out.toString('latin1');
    expect(text.split('\n')).toHaveLength(n + 6);
    expect(text).toMatch(/^ {2}\[1999999\] 001e:84:0f\.7 {3}domain 0x001e {2}bdf 0x847f {2}refcount 1$/m);
  }, 180_000);

  it.each([['decode'], ['hexdump']])('%s | head -3 ends the command at once, quietly', async (command) => {
    await expectEndedByHead([command, big, '--abi', 'pci-v3/flat8-max32'], 3);
  }, 60_000);
});

describe('chains written with 64 KiB or 16 KiB pages, read without --page-size', () => {
  let images: string;
  beforeAll(async () => {
    images = await generateImages();
  });

  it('a broken chain: the root is printed, the chain is said refused, the finding follows (exit 1)', async () => {
    const r = await runCli(['decode', '--memory', join(images, 'bad-cycle.core'), '--root-pa', '0x100000', '--abi', 'pci/blk16-v1']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^ {2}devices {4}= 0x101000\ndevices live in a KHO block chain at 0x101000, which the kernel's restore refuses: see the findings$/m);
    expect(r.stderr).toMatch(/error\[BLOCK_CYCLE\]/);
  });

  it('a 16 KiB-page image (gen-images.c) says --page-size 16384 would fit', async () => {
    const r = await runCli(['validate', '--memory', join(images, 'page16k.core'), '--root-pa', '0x100000', '--abi', 'pci/blk16-v1']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/error\[BLOCK_COUNT_INVALID\]: .*count = 2046, a block holds 1\.\.510 entries; a 16384-byte page holds 2046: --page-size 16384/);
  });

  it('a 64 KiB-page chain of 8190 entries says --page-size 65536', async () => {
    const devices = Array.from({ length: 8190 }, (_, i) => dev(1, i >> 8, (i >> 3) & 31, i & 7, { refcount: 1 }));
    const flat = file('8190.bin', makeBlob('pci-v3/flat8-max32', { root: { max_nr_devices: 8190, nr_devices: 8190 }, slots: devices }));
    const core = join(tmp, '64k.core');
    expect((await runCli(['convert', flat, '--from', 'pci-v3/flat8-max32', '--to', 'pci/blk16-v2', '--page-size', '65536', '-o', core])).code).toBe(0);
    const r = await runCli(['decode', '--memory', core, '--root-pa', '0x100000', '--abi', 'pci/blk16-v2']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error\[BLOCK_COUNT_INVALID\]: block 0 at 0x[0-9a-f]+ \(pci_ser\.devices\): count = 8190, a block holds 1\.\.510 entries; a 65536-byte page holds 8190: --page-size 65536/);
    expect((await runCli(['decode', '--memory', core, '--root-pa', '0x100000', '--abi', 'pci/blk16-v2', '--page-size', '65536'])).code).toBe(0);
  });
});
