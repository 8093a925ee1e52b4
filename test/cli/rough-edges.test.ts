import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bigSlotsBlob } from '../../bench/big-blob.mjs';
import { dev, makeBlob } from '../validate/blob.js';
import { CLI, runCli } from './run-cli.js';

const root = new URL('../../', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'kho-abi-edges-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const file = (name: string, bytes: Uint8Array | string) => {
  const path = join(tmp, name);
  writeFileSync(path, bytes);
  return path;
};
const slots = file('slots.bin', makeBlob('pci-v3/flat8-max32', { root: { max_nr_devices: 3, nr_devices: 2 }, slots: [dev(0, 0x3b, 0, 0, { refcount: 1 }), {}, dev(0x10000, 1, 0, 0, { refcount: 1 })] }));
const ONE_ERROR_LINE = /^kho-abi: error: [^\n]+\n$/;

describe('addresses are 0x hex', () => {
  it.each([
    [['decode', '--memory', 'x.core', '--root-pa', '100000', '--abi', 'pci/blk16-v1'], /--root-pa takes a hex address with 0x: "100000" is ambiguous.*write 0x100000 \(or 0x186a0 if you meant decimal 100000\)/],
    [['inspect', '--memory', 'x.core', '--flb-table-pa', '2000'], /--flb-table-pa takes a hex address with 0x/],
    [['decode', '--memory', 'ram.bin@100000', '--root-pa', '0x1000', '--abi', 'pci/blk16-v1'], /--memory ram\.bin@100000: the base after @ takes a hex address with 0x/],
    [['decode', '--memory', `${slots}@zz`, '--root-pa', '0x1000', '--abi', 'pci/blk16-v1'], /the base after @ takes a physical address like 0x100000, got "zz"/],
  ])('%j is refused with a hint (exit 2)', async (args, message) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(ONE_ERROR_LINE);
    expect(r.stderr).toMatch(message);
  });

  it('0 and @0x0 are fine', async () => {
    const r = await runCli(['decode', '--memory', `${slots}@0x0`, '--root-pa', '0', '--abi', 'pci/blk16-v1']);
    expect(r.stderr).not.toMatch(/takes a hex address/);
  });
});

describe('-o - and large JSON', () => {
  it('convert -o - writes the blob to standard output, and no file named -', async () => {
    const r = await runCli(['convert', slots, '--from', 'pci-v3/flat8-max32', '--to', 'pci-v1/flat8-max64', '-o', '-']);
    expect(r.code).toBe(0);
    expect(r.stdoutBytes).toHaveLength(16 + 3 * 8);
    expect(r.stderr).toBe('standard output: 2 devices as pci-v1/flat8-max64 (40 bytes)\n');
    expect(existsSync(join(process.cwd(), '-'))).toBe(false);
  });

  it('decode --json of a 1,000,000-entry blob encodes back byte for byte', async () => {
    const b = bigSlotsBlob(1_000_000);
    const big = file('1m.bin', b);
    const json = file('1m.json', execFileSync(process.execPath, [CLI, 'decode', big, '--abi', 'pci-v3/flat8-max32', '--json'], { maxBuffer: 1 << 30 }));
    expect(readFileSync(json).length).toBeGreaterThan(64 << 20);
    execFileSync(process.execPath, [CLI, 'encode', json, '-o', join(tmp, '1m-back.bin')]);
    expect(readFileSync(join(tmp, '1m-back.bin')).equals(b)).toBe(true);
    const capped = await runCli(['encode', json, '-o', join(tmp, 'never.bin'), '--max-size', '1000']);
    expect(capped.code).toBe(2);
    expect(capped.stderr).toMatch(/1m\.json: larger than 1000 bytes \(--max-size\) for a JSON text/);
  }, 240_000);
});

describe('offsets and columns', () => {
  it('extra: lines give hex offsets; wide domains keep the columns aligned', async () => {
    const path = file('wide.bin', makeBlob('pci-v3/flat8-max32', { root: { max_nr_devices: 3, nr_devices: 3 }, slots: [dev(0, 3, 0, 0, { refcount: 1 }), dev(0xfffffffe, 0xff, 31, 7, { refcount: 1 }), dev(0x10000, 1, 0, 0, { refcount: 1 })], size: 40, poke: [[0x22, 7]] }));
    const r = await runCli(['decode', path, '--abi', 'pci-v3/flat8-max32']);
    const lines = r.stdout.split('\n').filter((l) => l.startsWith('  ['));
    expect(lines).toEqual([
      '  [0] 0000:03:00.0      domain 0x0000     bdf 0x0300  refcount 1',
      '  [1] fffffffe:ff:1f.7  domain 0xfffffffe bdf 0xffff  refcount 1',
      '  [2] 10000:01:00.0     domain 0x10000    bdf 0x0100  refcount 1',
    ]);
    expect(r.stdout).toMatch(/^ {2}@0x22 \(trailing\): 07$/m);
  });
});

describe('every error is one line naming what the user typed', () => {
  const binary = file('binary.bin', new Uint8Array([0x1b, 0x5b, 0x32, 0x4a, 0x0a, 0x07]));
  it.each([
    [['abi-diff', 'nosuch.h', 'x.h'], /nosuch\.h: no such file/],
    [['abi-diff', '--repo', tmp, '--base', 'master'], /--repo .*: not a git work tree/],
    [['layout', 'pci-v1'], /compat string "pci-v1" names 5 layouts; name one of them:/],
    [['fuzz', '--abi', 'pci-v3', '--path', '1:2:3', '--runs', '3'], /--path 1:2:3 names no case of seed/],
    [['decode', binary, '--input-format', 'hex', '--abi', 'pci-v3'], /binary\.bin: line 1: "\\x1b" is not a hex digit/],
    [['encode', '-'], /standard input: (\w+: )?not JSON .* at byte \d+/],
    [['decode', slots, '--abi', 'pci-v3', '--bogus'], /^kho-abi: error: unknown option '--bogus' \(kho-abi decode --help\)/],
    [['frobnicate'], /^kho-abi: error: unknown command 'frobnicate'/],
    [['help', 'nosuch'], /no command "nosuch" to help with \(kho-abi --help lists them\)/],
    [['gen', 'help', 'nosuch'], /no command "nosuch" to help with \(kho-abi gen --help lists them\)/],
  ])('%j', async (args, message) => {
    const r = await runCli(args, args[1] === '-' ? '{\n  "abi": x\n}' : undefined);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(ONE_ERROR_LINE);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/[\x00-\x08\x0b-\x1f]/);
  });
});

describe('validate counts and directories', () => {
  it('counts folded findings in the summary; --max-per-rule 0 shows all', async () => {
    const path = file('dups.bin', makeBlob('pci-v2/flat8-max32', { root: { max_nr_devices: 1000, nr_devices: 1000 }, slots: Array.from({ length: 1000 }, () => dev(0, 3, 0, 0, { refcount: 1 })) }));
    const r = await runCli(['validate', path, '--abi', 'pci-v2/flat8-max32']);
    expect(r.stdout).toMatch(/979 more findings of this rule not shown \(999 in all\)/);
    expect(r.stdout.trim().split('\n').at(-1)).toBe(`${path} under pci-v2/flat8-max32: invalid (999 errors, 0 warnings)`);
    const all = await runCli(['validate', path, '--abi', 'pci-v2/flat8-max32', '--max-per-rule', '0']);
    expect(all.stdout.match(/error\[DUPLICATE_DEVICE\]/g)).toHaveLength(999);
  });

  it('a directory: regular blob files only, and says what it skipped', async () => {
    const dir = join(tmp, 'captures');
    mkdirSync(join(dir, 'older'), { recursive: true });
    writeFileSync(join(dir, 'a.bin'), readFileSync(slots));
    writeFileSync(join(dir, 'README.txt'), 'captured on host 7\n');
    writeFileSync(join(dir, 'a.json'), '{}');
    execFileSync('mkfifo', [join(dir, 'pipe')]);
    const r = await runCli(['validate', dir, '--abi', 'pci-v3/flat8-max32']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${dir}/a.bin under pci-v3/flat8-max32: valid (0 errors, 0 warnings)\n`);
    expect(r.stderr).toBe(`kho-abi: note: skipped ${dir}/README.txt (txt file), ${dir}/older/ (directory: not read recursively), ${dir}/pipe (not a regular file)\n`);
  });
});

describe('repeated and conflicting flags are refused', () => {
  it.each([
    [['validate', slots, '--abi', 'pci-v3', '--format', 'text', '--json'], /option '--json' cannot be used with option '--format <format>'/],
    [['decode', slots, '--abi', 'pci-v3', '--abi', 'pci-v2/flat8-max32'], /--abi given twice \("pci-v3", then "pci-v2\/flat8-max32"\): give it once/],
    [['validate', '-', '-', '--abi', 'pci-v3'], /- \(standard input\) can be read only once/],
    [['encode', 'J', '--root-pa', '0x1000', '-o', '-'], /--root-pa places KHO blocks in a memory image; pci-v3\/flat8-max32 keeps its devices inline/],
  ])('%j', async (args, message) => {
    const json = file('slots.json', (await runCli(['decode', slots, '--abi', 'pci-v3', '--json'])).stdout);
    const r = await runCli(args.map((a) => (a === 'J' ? json : a)));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(ONE_ERROR_LINE);
    expect(r.stderr).toMatch(message);
  });

  it('the same value twice is no conflict', async () => {
    expect((await runCli(['decode', slots, '--abi', 'pci-v3', '--abi', 'pci-v3'])).code).toBe(0);
  });
});

describe('hex dumps as the tools print them', () => {
  const fixture = `${root}fixtures/pci-v3__flat8-max32/bridges.bin`;
  const direct = execFileSync(process.execPath, [CLI, 'decode', fixture, '--abi', 'pci-v3', '--json'], { encoding: 'utf8' });
  it.each([
    ['xxd', ['-e']],
    ['xxd', ['-e', '-g', '2']],
    ['xxd', ['-g', '4']],
    ['xxd', ['-e', '-g', '8']],
    ['hexdump', ['-C']],
    ['od', ['-A', 'x', '-t', 'x1z']],
  ])('%s %j', async (tool, flags) => {
    const dump = execFileSync(tool, [...flags, fixture], { encoding: 'utf8' });
    const r = await runCli(['decode', '-', '--input-format', 'hex', '--abi', 'pci-v3', '--json'], dump);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(direct);
  });

  it('xxd -e with no id to tell the group order is refused with a line number and what to do', async () => {
    const r = await runCli(['detect', '-', '--input-format', 'hex'], execFileSync('xxd', ['-e', fixture], { encoding: 'utf8' }));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/standard input: line 1: groups of several bytes, and nothing says their order.*--input-format hex-le or hex-be/);
    const le = await runCli(['detect', '-', '--input-format', 'hex-le'], execFileSync('xxd', ['-e', fixture], { encoding: 'utf8' }));
    expect(le.code).toBe(0);
  });

  // lib/hexdump.c print_hex_dump(KERN_INFO, "pci_ser: ", DUMP_PREFIX_OFFSET, 16, groupsize, buf, len, true) as dmesg shows it.
  const bytes = readFileSync(fixture).subarray(0, 40);
  const kernelLine = (offset: number, chunk: Buffer, group: number) => {
    const g = chunk.length % group ? 1 : group;
    const groups = [];
    for (let i = 0; i < chunk.length; i += g) groups.push(Buffer.from(chunk.subarray(i, i + g)).reverse().toString('hex'));
    const ascii = Array.from(chunk, (c) => (c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '.')).join('');
    return `[  123.456789] pci_ser: ${offset.toString(16).padStart(8, '0')}: ${groups.join(' ').padEnd(16 * 2 + 16 / group - 1)}  ${ascii}`;
  };
  it.each([[1], [4]])('print_hex_dump with groupsize %i and dmesg timestamps', async (group) => {
    const lines = [0, 16, 32].map((o) => kernelLine(o, bytes.subarray(o, o + 16), group)).join('\n');
    const r = await runCli(['hexdump', '-', '--input-format', 'hex', '--abi', 'pci-v3', '--json'], lines);
    expect(JSON.parse(r.stdout).rows.map((x: { hex: string }) => x.hex).join('')).toBe(bytes.toString('hex'));
  });

  it.each([
    ['00000000: 0f00 0000 0900 0000\nsomething else\n', /standard input: line 2: not an xxd or print_hex_dump line/],
    ['00000000  0f 00 00 00  |....|\n00000010  zz  |.|\n', /standard input: line 2: not a hexdump -C or od -A x -t x1z line/],
    ['0f00 0000\nxyz\n', /standard input: line 2: "x" is not a hex digit/],
    ['00000000: 4142 4344  ABCE\n', /standard input: line 1: the ASCII column does not match the hex bytes/],
  ])('refuses the rest with its line: %j', async (text, message) => {
    const r = await runCli(['decode', '-', '--input-format', 'hex', '--abi', 'pci-v3'], text);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});

describe('packaging', () => {
  const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));
  it('has a GPL-2.0 LICENSE shipped with the package, and a repository', () => {
    expect(pkg.license).toBe('GPL-2.0-only');
    expect(readFileSync(`${root}LICENSE`, 'utf8')).toMatch(/GNU GENERAL PUBLIC LICENSE\s+Version 2, June 1991/);
    expect(pkg.files).toContain('LICENSE');
    expect(pkg.repository.url).toMatch(/^git\+https:\/\//);
    expect(readFileSync(`${root}.gitignore`, 'utf8').split('\n')).toContain('*.tgz');
  });

  it('every --help has examples, and none names a file of this repository', async () => {
    const top = await runCli(['--help']);
    const names = [...top.stdout.matchAll(/^ {2}([a-z-]+) /gm)].map((m) => m[1]!).filter((n) => n !== 'help');
    expect(names.length).toBeGreaterThan(10);
    for (const args of [['--help'], ...names.map((n) => [n, '--help']), ['gen', 'c-asserts', '--help']]) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout, args.join(' ')).toMatch(/\nExamples?:\n {2}\$ kho-abi /);
      expect(r.stdout, args.join(' ')).not.toMatch(/fixtures\//);
    }
  }, 120_000);

  it('npm run demo leaves no temporary folder behind', () => {
    const own = mkdtempSync(join(tmpdir(), 'kho-abi-demo-tmp-'));
    execFileSync(process.execPath, [`${root}scripts/demo.mjs`], { cwd: root, env: { ...process.env, TMPDIR: own }, stdio: 'ignore' });
    expect(readdirSync(own)).toEqual([]);
    rmSync(own, { recursive: true });
  });

  it('no internal document references in sources, tests or README', () => {
    const r = spawnSync('git', ['grep', '-nIE', 'contract ?§|catalog §|/work/shared|contract section', '--', '.', ':!LICENSE', ':!test/cli/rough-edges.test.ts'], { cwd: root, encoding: 'utf8' });
    expect(r.error).toBeUndefined();
    expect(r.stdout).toBe('');
  });
});
