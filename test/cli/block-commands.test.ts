import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateImages, readelfSegments } from '../helpers/gen-images.js';
import { CLI, runCli } from './run-cli.js';

const MAX_RSS = fileURLToPath(new URL('../../bench/max-rss.mjs', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'kho-abi-blk-cli-'));
let dir: string;
let qemu: string;
beforeAll(async () => {
  dir = await generateImages();
  qemu = join(dir, 'qemu-style.core');
});

const decodeArgs = (image: string, root: string, id = 'pci/blk16-v1') => ['decode', '--memory', image, '--root-pa', root, '--abi', id];

describe('decode, encode and hexdump of block layouts', () => {
  it('decodes a chain from an ELF core with the root from memory', async () => {
    const r = await runCli(decodeArgs(qemu, '0x100000'));
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toContain('KHO block chain: 2 blocks of 4096 bytes (510 entries each), 512 entries stored');
    expect(r.stdout).toMatch(/^ {2}\[510\] 10000:00:01\.0 +domain 0x10000 bdf 0x0008 +refcount 1$/m);
  });

  it('decodes with the root from a blob file and the chain from a raw dump', async () => {
    const root = join(tmp, 'root.bin');
    writeFileSync(root, readFileSync(join(dir, 'raw.bin')).subarray(0, 16));
    const r = await runCli(['decode', root, '--memory', `${join(dir, 'raw.bin')}@0x100000`, '--abi', 'pci/blk16-v1', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).devices).toEqual([{ index: 0, domain: 0, bdf: 0x3b00, address: '0000:3b:00.0', refcount: 1 }]);
  });

  it('round-trips decode --json | encode into an ELF core that readelf reads and decode reads back the same', async () => {
    const json = (await runCli([...decodeArgs(qemu, '0x100000'), '--json'])).stdout;
    const out = join(tmp, 'rt.core');
    expect(await runCli(['encode', '-', '-o', out], json)).toMatchObject({ code: 0, stderr: '' });
    expect((await readelfSegments(out)).map((s) => [s.type, s.paddr, s.filesz])).toEqual([
      ['LOAD', 0x100000n, 0x2000n], // root page and block 0 are contiguous: one run
      ['LOAD', 0x1_0000_0000n, 0x1000n],
    ]);
    expect((await runCli([...decodeArgs(out, '0x100000'), '--json'])).stdout).toBe(json);
  });

  it('places blocks where --blocks-pa and --block-stride say', async () => {
    const json = (await runCli([...decodeArgs(qemu, '0x100000'), '--json'])).stdout;
    const out = join(tmp, 'moved.core');
    expect((await runCli(['encode', '-', '-o', out, '--root-pa', '0x40000000', '--blocks-pa', '0x300000000', '--block-stride', '0x200000'], json)).code).toBe(0);
    const back = JSON.parse((await runCli([...decodeArgs(out, '0x40000000'), '--json'])).stdout);
    expect(back.root.devices).toBe('0x300000000');
    expect(back.chain.blocks.map((b: { address: string }) => b.address)).toEqual(['0x300000000', '0x300200000']);
    expect(back.devices).toEqual(JSON.parse(json).devices);
  });

  it('hexdumps the root and every block, naming each field', async () => {
    const r = await runCli(['hexdump', '--memory', qemu, '--root-pa', '0x100000', '--abi', 'pci/blk16-v1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('block 1 @ 0x100000000 (offsets within the block):');
    expect(r.stdout).toMatch(/^00000008: 0200 0000 0000 0000 .* kho_block_header_ser\.count = 2$/m);
    expect(r.stdout).toMatch(/devices\[2\] free/);
  });

  it('decodes 16 KiB-page chains with --page-size 16384', async () => {
    const r = await runCli([...decodeArgs(join(dir, 'page16k.core'), '0x100000'), '--page-size', '16384', '--json']);
    expect(JSON.parse(r.stdout).devices.map((d: { index: number }) => d.index)).toEqual([2045, 2050]);
  });

  it.each([
    ['bad-cycle.core', 'BLOCK_CYCLE'],
    ['bad-too-long.core', 'BLOCK_CHAIN_TOO_LONG'],
    ['bad-count0.core', 'BLOCK_COUNT_INVALID'],
    ['bad-count511.core', 'BLOCK_COUNT_INVALID'],
    ['bad-unaligned.core', 'BLOCK_MISALIGNED'],
    ['bad-unresolved.core', 'BLOCK_UNRESOLVED'],
  ])('refuses %s with %s and exit 1', async (name, rule) => {
    const r = await runCli(decodeArgs(join(dir, name), '0x100000'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`\\[pci_ser@0x100000\\]:0x[0-9a-f]+: error\\[${rule}\\]`));
  });

  it.each([
    [['decode', '--root-pa', '0x1000', '--abi', 'pci/blk16-v1'], /--root-pa needs --memory/],
    [['decode', 'x.bin', '--memory', 'Q', '--root-pa', '0x1000', '--abi', 'pci/blk16-v1'], /drop the blob argument/],
    [['decode', '--memory', 'BE', '--root-pa', '0', '--abi', 'pci/blk16-v1'], /big-endian ELF/],
    [['decode', '--memory', 'Q', '--root-pa', '0x7000000', '--abi', 'pci/blk16-v1'], /struct pci_ser at 0x7000000 is not in the memory images/],
    [['decode', '--memory', 'Q', '--root-pa', '0x100000', '--abi', 'pci/blk16-v1', '--page-size', '8192'], /--page-size takes 4096, 16384 or 65536/],
  ])('usage errors exit 2: %j', async (args, message) => {
    const r = await runCli(args.map((a) => (a === 'BE' ? join(dir, 'be.core') : a === 'Q' ? qemu : a)));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});

describe('validate, detect and diff with memory images', () => {
  it('validate fires the chain rule of a hostile image (exit 1) and nothing on a valid one (exit 0)', async () => {
    const bad = await runCli(['validate', '--memory', join(dir, 'bad-count511.core'), '--root-pa', '0x100000', '--abi', 'pci/blk16-v1', '--json']);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout).findings.map((f: { rule: string }) => f.rule)).toEqual(['BLOCK_COUNT_INVALID']);
    const good = await runCli(['validate', '--memory', qemu, '--root-pa', '0x100000', '--abi', 'pci/blk16-v1']);
    expect(good).toMatchObject({ code: 0 });
    expect(good.stdout).toMatch(/valid \(0 errors, 0 warnings\)/);
  });

  it('detect tells version 1 from version 2 through the chain, reading each id its own extent', async () => {
    const r = JSON.parse((await runCli(['detect', '--memory', join(dir, 'big.core'), '--root-pa', '0x1000', '--json'])).stdout);
    expect(r.candidates.map((c: { abi: string }) => c.abi)).toEqual(['pci/blk16-v2']);
  });

  it('diff compares two images, each root read from its own memory', async () => {
    const r = await runCli(['diff', '--memory', qemu, '--root-pa', '0x100000', '--memory-b', join(dir, 'big.core'), '--root-pa-b', '0x1000', '--abi', 'pci/blk16-v1', '--abi-b', 'pci/blk16-v2', '--json']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('0000:11:00.0');
  });
});

describe('inspect', () => {
  it('lists the FLB entries and decodes the PCI one under each id of "pci"', async () => {
    const r = await runCli(['inspect', '--memory', qemu, '--flb-table-pa', '0x2000']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ {2}\[1\] "pci" +data 0x100000 +files 4  PCI$/m);
    expect(r.stdout).toMatch(/pci\/blk16-v1: consistent/);
    expect(r.stdout).toMatch(/^ {2}other versions of "pci": NOT consistent \(VERSION_MISMATCH: version = 1 is not their PCI_LUO_FLB_VERSION/m);
    expect(r.stdout).not.toMatch(/pci\/blk16-v2: /);
    const json = JSON.parse((await runCli(['inspect', '--memory', qemu, '--flb-table-pa', '0x2000', '--json'])).stdout);
    expect(json.table.entries.map((e: { name: string }) => e.name)).toEqual(['memfd-v1', 'pci', 'iommu-v1']);
    expect(json.pci[0].readings[0]).toMatchObject({ abi: 'pci/blk16-v1', consistent: true });
    expect(json.pci[0].readings[0].decoded.devices).toHaveLength(5);
    expect(json.pci[0].readings.find((x: { abi: string }) => x.abi === 'pci/blk16-v2')).toMatchObject({ consistent: false, reasons: [expect.stringMatching(/^VERSION_MISMATCH: version = 1;/)] });
  });

  it('reports an invalid table as FLB_TABLE_INVALID with exit 1', async () => {
    const r = await runCli(['inspect', '--memory', join(dir, 'flb-bad.core'), '--flb-table-pa', '0x2000', '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).findings.map((f: { rule: string; offset: number }) => [f.rule, f.offset])).toEqual([
      ['FLB_TABLE_INVALID', 0],
      ['FLB_TABLE_INVALID', 8],
      ['FLB_TABLE_INVALID', 80],
    ]);
  });
});

describe('bounded memory', () => {
  it('reads blocks above 4 GiB of a sparse 8 GiB core with a small peak RSS', async () => {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', MAX_RSS, CLI, ...decodeArgs(join(dir, 'big.core'), '0x1000', 'pci/blk16-v2'), '--json']);
    expect(JSON.parse(stdout).chain.blocks.map((b: { address: string }) => b.address)).toEqual(['0x100000000', '0x180000000', '0x1fffff000']);
    const kib = Number(/maxrss-kib=(\d+)/.exec(stderr)![1]);
    expect(kib).toBeLessThan(150 * 1024);
  });
});
