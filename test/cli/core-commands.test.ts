import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { abis } from '../../src/registry.js';
import { runCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'kho-abi-cli-'));

function slotsBlob(): Buffer {
  const b = Buffer.alloc(4096);
  b.writeUInt32LE(4, 0);
  b.writeUInt32LE(2, 4);
  b.writeUInt16LE(0x3b00, 12);
  b.writeUInt16LE(1, 14);
  b.writeUInt32LE(0x10000, 24);
  b.writeUInt16LE(0x0008, 28);
  b.writeUInt16LE(1, 30);
  b[33] = 5;
  return b;
}
const blobPath = join(dir, 'slots.bin');
writeFileSync(blobPath, slotsBlob());

describe('list and layout', () => {
  it('lists every id of the registry with shared compat strings, and JSON', async () => {
    const text = await runCli(['list']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('pci-v2/flat8-max32-hier');
    expect(text.stdout).toMatch(/"pci-v1": .*pci-v1\/blk12/);
    const json = JSON.parse((await runCli(['list', '--json'])).stdout);
    expect(json.abis.map((a: { id: string }) => a.id)).toEqual(abis.map((a) => a.id));
    expect(json.abis.find((a: { id: string }) => a.id === 'pci/blk16-v2')).toMatchObject({ compatible: 'pci', version: 2, rootSize: 16 });
  });

  it('list NAMES… narrows to those ids and the ids of those compat strings, in registry order', async () => {
    const compat = abis[0]!.compatible;
    const last = abis[abis.length - 1]!;
    const want = abis.filter((a) => a.compatible === compat || a === last).map((a) => a.id);
    const json = JSON.parse((await runCli(['list', last.id, compat, '--json'])).stdout);
    expect(json.abis.map((a: { id: string }) => a.id)).toEqual(want);
    const text = (await runCli(['list', last.id])).stdout;
    const rows = text.split('\n\n')[0]!.split('\n').slice(1);
    expect(rows.map((r) => r.split(' ')[0])).toEqual([last.id]);
    // the layouts sharing its compat string are named even when not listed
    for (const other of last.sharesCompatible) expect(text).toContain(other);
    const bad = await runCli(['list', 'pci-v9']);
    expect(bad).toMatchObject({ code: 2, stdout: '' });
    expect(bad.stderr).toMatch(/^kho-abi: error: unknown ABI id or compat string "pci-v9"; known compat strings: .*\n$/);
  });

  it('prints pahole-style structs, and the block header for block ids', async () => {
    const r = await runCli(['layout', 'pci-v1/flat8-max64']);
    expect(r.stdout).toMatch(/u64\s+nr_devices;\s+\/\*\s+8\s+8 \*\//);
    expect(r.stdout).toContain('} __attribute__((__packed__));');
    expect((await runCli(['layout', 'pci-v1/blk12'])).stdout).toContain('struct kho_block_header_ser');
    const json = JSON.parse((await runCli(['layout', 'luo-flb', '--json'])).stdout);
    expect(json.structs[1].fields[1]).toMatchObject({ name: 'data', type: 'u64', offset: 48, size: 8 });
  });
});

describe('decode, encode, hexdump', () => {
  it('decodes to JSON and encodes it back byte for byte', async () => {
    const d = await runCli(['decode', blobPath, '--abi', 'pci-v2/flat8-max32', '--json']);
    expect(d.code).toBe(0);
    const json = JSON.parse(d.stdout);
    expect(json.devices[1]).toEqual({ index: 2, domain: 65536, bdf: 8, address: '10000:00:01.0', refcount: 1 });
    const out = join(dir, 'back.bin');
    const e = await runCli(['encode', '-', '-o', out], d.stdout);
    expect(e).toMatchObject({ code: 0, stderr: '' });
    expect(readFileSync(out)).toEqual(slotsBlob());
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('reads xxd output and plain hex from standard input', async () => {
    const xxd = (await runCli(['hexdump', blobPath, '--abi', 'pci-v2/flat8-max32'])).stdout;
    expect(xxd).toMatch(/^00000018: 0000 0100 0800 0100 .* devices\[2\] 10000:00:01\.0 refcount=1$/m);
    const plain = slotsBlob().subarray(0, 40).toString('hex').replace(/(.{32})/g, '$1\n');
    const r = await runCli(['decode', '-', '--input-format', 'hex', '--abi', 'pci-v2/flat8-max32', '--json'], plain);
    expect(JSON.parse(r.stdout).devices).toHaveLength(2);
    const xxdText = '00000000: 0400 0000 0200 0000 0000 0000 003b 0100  .............;..\n00000010: 0000 0000 0000 0000 0000 0100 0800 0100  ................\n00000020: 0000 0000 0000 0000                      ........\n';
    const x = await runCli(['decode', '-', '--input-format', 'hex', '--abi', 'pci-v2/flat8-max32', '--json'], xxdText);
    expect(JSON.parse(x.stdout).devices.map((v: { address: string }) => v.address)).toEqual(['0000:3b:00.0', '10000:00:01.0']);
  });

  it.each([[[]], [['-a']], [['-p']], [['-c', '8', '-g', '4']]])('reads what real xxd %j prints', async (flags) => {
    const fixture = 'fixtures/pci-v1__flat8-max64/unpreserve-stale.bin';
    const dump = execFileSync('xxd', [...flags, fixture], { encoding: 'utf8' });
    const viaHex = await runCli(['decode', '-', '--input-format', 'hex', '--abi', 'pci-v1/flat8-max64', '--json'], dump);
    const direct = await runCli(['decode', fixture, '--abi', 'pci-v1/flat8-max64', '--json']);
    expect(viaHex.stderr).toBe('');
    expect(viaHex.stdout).toBe(direct.stdout);
  });

  it('refuses a value that does not fit instead of wrapping (exit 2)', async () => {
    const input = JSON.stringify({ abi: 'pci-v1/flat4-max64', root: { max_nr_devices: '1', nr_devices: '1' }, devices: [{ domain: 65536, bdf: 0 }] });
    const r = await runCli(['encode', '-', '-o', join(dir, 'never.bin')], input);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/devices\[0\]\.domain: 0x10000 does not fit u16 domain/);
    expect(readdirSync(dir)).not.toContain('never.bin');
  });
});

describe('bad input: exit 1 or 2 with one clear line, never a stack trace', () => {
  const empty = join(dir, 'empty.bin');
  const one = join(dir, 'one.bin');
  writeFileSync(empty, '');
  writeFileSync(one, Buffer.from([1]));
  const hostile = join(dir, 'hostile.bin');
  const h = Buffer.alloc(16);
  h.writeUInt32LE(0xffffffff, 0);
  writeFileSync(hostile, h);
  mkdirSync(join(dir, 'a-directory'), { recursive: true });

  const cases: Array<[string, string[], number, RegExp]> = [
    ['empty file', ['decode', empty, '--abi', 'pci-v3'], 1, /empty\.bin:0x0: error\[BLOB_TRUNCATED\]/],
    ['1-byte file', ['decode', one, '--abi', 'pci/blk16-v1'], 1, /one\.bin:0x1: error\[BLOB_TRUNCATED\]/],
    ['count 2^32-1 in 16 bytes', ['decode', hostile, '--abi', 'pci-v2/flat8-max32'], 1, /hostile\.bin:0x10: error\[BLOB_TRUNCATED\]: max_nr_devices = 4294967295/],
    ['directory', ['decode', join(dir, 'a-directory'), '--abi', 'pci-v3'], 2, /is a directory/],
    ['missing file', ['decode', join(dir, 'nope.bin'), '--abi', 'pci-v3'], 2, /nope\.bin: no such file/],
    ['unknown id', ['decode', empty, '--abi', 'pci-v9'], 2, /unknown ABI id "pci-v9"/],
    ['ambiguous compat string', ['decode', empty, '--abi', 'pci-v2'], 2, /names 4 layouts.*pci-v2\/flat8-max64/],
    ['unknown flag', ['decode', empty, '--abi', 'pci-v3', '--bogus'], 2, /unknown option '--bogus'/],
    ['missing --abi', ['decode', empty], 2, /required option '--abi <id>'/],
    ['bad hex', ['decode', one, '--input-format', 'hex', '--abi', 'pci-v3'], 2, /not a hex digit/],
    ['unknown command', ['frobnicate'], 2, /unknown command/],
    ['input over --max-size', ['decode', blobPath, '--abi', 'pci-v3', '--max-size', '100'], 2, /larger than 100 bytes/],
  ];
  it.each(cases)('%s', async (_name, args, code, message) => {
    const r = await runCli(args);
    expect(r.code).toBe(code);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('reads /dev/zero only up to --max-size', async () => {
    const r = await runCli(['decode', '/dev/zero', '--abi', 'pci-v3', '--max-size', '65536']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/larger than 65536 bytes/);
  });

  it('refuses JSON that is not JSON, and an --abi that disagrees with it', async () => {
    const oops = await runCli(['encode', '-', '-o', join(dir, 'x.bin')], '{oops');
    expect(oops).toMatchObject({ code: 2, stderr: "kho-abi: error: standard input: not JSON: expected a key at byte 1, found \"o\"\n" });
    const device = '{ "abi": "pci-v3", "root": { "max_nr_devices": 2, "nr_devices": 2 }, "devices": [ { "domain": 0, "bdf": 1, "refcount": 1 }, { "domain": 0, "bdf": } ] }';
    const bad = await runCli(['encode', '-', '-o', join(dir, 'x.bin')], device);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^kho-abi: error: standard input: devices\[1\]: not JSON \(.*\) at byte 124\n$/);
    const big = await runCli(['encode', '-', '--max-size', '64', '-o', join(dir, 'x.bin')], device);
    expect(big.stderr).toMatch(/larger than 64 bytes/);
    const json = (await runCli(['decode', blobPath, '--abi', 'pci-v2/flat8-max32', '--json'])).stdout;
    const r = await runCli(['encode', '-', '--abi', 'pci-v3', '-o', join(dir, 'x.bin')], json);
    expect(r).toMatchObject({ code: 2 });
    expect(r.stderr).toMatch(/disagrees/);
  });
});
