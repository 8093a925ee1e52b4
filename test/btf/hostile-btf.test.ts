import { rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';
import { buildBtfObject, scratchDir } from '../helpers/btf-producers.js';
import { extractBtf, rawHeader, rawRecords, type RawRecord } from '../helpers/btf-records.js';

/**
 * Hostile BTF is normal input: a real gcc -gbtf object and its raw .BTF, each damaged one way,
 * must give one clear error line and exit 2 from the built command, quickly.
 */
const SOURCE = fileURLToPath(new URL('../../fixtures/btf/layouts.c', import.meta.url));
let dir: string;
let elf: Uint8Array;
let raw: Uint8Array;
let records: RawRecord[];

beforeAll(() => {
  dir = scratchDir();
  const obj = buildBtfObject('gcc -gbtf', SOURCE, join(dir, 'layouts.o'));
  elf = obj.bytes;
  raw = extractBtf(obj.path, join(dir, 'layouts.btf'));
  records = rawRecords(raw);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const record = (kind: string, name: string) => {
  const r = records.find((x) => x.kind === kind && x.name === name);
  if (!r) throw new Error(`no ${kind} ${name} in the fixture's BTF`);
  return r;
};

/** A copy of the raw BTF with little-endian u32 words written at byte offsets. */
function patched(bytes: Uint8Array, words: Array<[number, number]>): Uint8Array {
  const copy = new Uint8Array(bytes);
  const v = new DataView(copy.buffer);
  for (const [at, value] of words) v.setUint32(at, value >>> 0, true);
  return copy;
}

async function expectError(bytes: Uint8Array, message: RegExp, args: string[] = []) {
  const file = join(dir, 'hostile.bin');
  writeFileSync(file, bytes);
  const t0 = performance.now();
  const r = await runCli(['btf', file, ...args]);
  expect(performance.now() - t0).toBeLessThan(20_000);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(/^kho-abi: error: [^\n]+\n$/);
  expect(r.stderr).toMatch(message);
  expect(r.code).toBe(2);
}

describe('hostile BTF: one error line, exit 2', () => {
  it('a sparse 8 GiB file and an endless device are refused without being read', async () => {
    const sparse = join(dir, 'sparse.bin');
    writeFileSync(sparse, '');
    truncateSync(sparse, 8 * 2 ** 30);
    for (const file of [sparse, '/dev/zero']) {
      const t0 = performance.now();
      const r = await runCli(['btf', file]);
      expect(performance.now() - t0).toBeLessThan(20_000);
      expect([r.code, r.stdout]).toEqual([2, '']);
      expect(r.stderr).toMatch(/^kho-abi: error: [^\n]*(neither an ELF file nor BTF of at most 64 MiB|larger than 64 MiB, more than any BTF)\n$/);
    }
  });

  it('the undamaged raw BTF and object read fine (the cases below damage only what they say)', async () => {
    for (const bytes of [raw, elf]) {
      const file = join(dir, 'fine.bin');
      writeFileSync(file, bytes);
      const r = await runCli(['btf', file, '--struct', 'pointers_ser', '--struct', 'arrays_ser', '--struct', 'types_ser']);
      expect([r.code, r.stderr]).toEqual([0, '']);
    }
  });

  it('a truncated type section', () => expectError(raw.subarray(0, raw.length >> 1), /runs past the end of the BTF/));

  it('a truncated ELF file', () => expectError(elf.subarray(0, elf.length - 100), /section headers at \d+ run past the end of the file|section headers at \d+ are past the end/));

  it('an ELF whose .BTF section header claims a terabyte', () => {
    const copy = new Uint8Array(elf);
    const v = new DataView(copy.buffer);
    const shoff = Number(v.getBigUint64(40, true));
    const shnum = v.getUint16(60, true);
    const btf = Array.from({ length: shnum }, (_, i) => shoff + i * 64).find((at) => Number(v.getBigUint64(at + 32, true)) === raw.length);
    expect(btf).toBeDefined();
    v.setBigUint64(btf! + 32, 1n << 40n, true);
    return expectError(copy, /the \.BTF section is 1099511627776 bytes, more than the 64 MiB this reader accepts/);
  });

  it('a bad magic, an unknown version, an absurd header length', async () => {
    await expectError(patched(raw, [[0, 0x12345678]]), /no BTF magic 0xeb9f/);
    const v2 = new Uint8Array(raw);
    v2[2] = 2;
    await expectError(v2, /BTF version 2 is not supported/);
    await expectError(patched(raw, [[4, 0xfffffff0]]), /header length 4294967280 is outside/);
  });

  it('a type id out of range', () => {
    const ptr = records.find((r) => r.kind === 'PTR')!;
    return expectError(patched(raw, [[ptr.at + 8, 0x7fffffff]]), new RegExp(`type ${ptr.id} refers to type 2147483647, but the last type is ${records.length}`));
  });

  it('an unknown kind', () => {
    const r = record('STRUCT', 'plain_ser');
    return expectError(patched(raw, [[r.at + 4, (31 << 24) | 4]]), new RegExp(`type ${r.id}: unknown BTF kind 31`));
  });

  it('a name offset past the string table', () => {
    const r = record('STRUCT', 'plain_ser');
    return expectError(patched(raw, [[r.at, 0xffffff]]), new RegExp(`type ${r.id}: name offset 16777215 is past the string section`));
  });

  it('an absurd vlen', () => {
    const r = record('STRUCT', 'plain_ser');
    return expectError(patched(raw, [[r.at + 4, (4 << 24) | 0xffff]]), new RegExp(`type ${r.id} \\(STRUCT, vlen 65535\\): record of 786432 bytes runs past the type section`));
  });

  it('a typedef that is its own target (a cycle through typedefs)', () => {
    const u8 = record('TYPEDEF', 'u8');
    return expectError(patched(raw, [[u8.at + 8, u8.id]]), /typedef or qualifier chain deeper than 32 \(a cycle\?\)/, ['--struct', 'plain_ser']);
  });

  it('a pointer to itself (a cycle through pointers)', () => {
    const ptr = records.find((r) => r.kind === 'PTR')!;
    return expectError(patched(raw, [[ptr.at + 8, ptr.id]]), new RegExp(`type ${ptr.id} names itself`), ['--struct', 'pointers_ser']);
  });

  it('a struct that contains itself', () => {
    const r = record('STRUCT', 'plain_ser');
    return expectError(patched(raw, [[r.at + 12 + 4, r.id]]), /struct plain_ser contains itself/, ['--struct', 'plain_ser']);
  });

  it('an absurd array size', () => {
    const arrays = records.filter((r) => r.kind === 'ARRAY');
    return expectError(patched(raw, arrays.map((a) => [a.at + 20, 0xffffffff] as [number, number])), /larger than 4 GiB/, ['--struct', 'arrays_ser']);
  });

  it('a member past the end of its struct', () => {
    const r = record('STRUCT', 'plain_ser');
    return expectError(patched(raw, [[r.at + 12 + 8, 0x00ffff00]]), /struct plain_ser: member a ends at byte \d+, past the struct size 24/, ['--struct', 'plain_ser']);
  });
});
