import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FdtNode } from '../../src/fdt/fdt-node.js';
import { FDT_MAX_DEPTH, parseFdt } from '../../src/fdt/parse-fdt.js';
import { compileDts } from '../helpers/kho-state.js';

const dir = mkdtempSync(join(tmpdir(), 'kho-abi-fdt-'));
const FIXTURES = readdirSync(new URL('../../fixtures/kho-fdt/', import.meta.url)).filter((f) => f.endsWith('.dts')).map((f) => f.slice(0, -4));

/** What libfdt's fdtget (device-tree-compiler) reads from a dtb: subnodes, properties, value bytes. */
function fdtget(args: string[]): string {
  return execFileSync('fdtget', args, { encoding: 'utf8' }).trim();
}

function checkAgainstFdtget(file: string, node: FdtNode, path: string): number {
  const children = fdtget(['-l', file, path]).split('\n').filter(Boolean);
  expect(node.children.map((c) => c.name), path).toEqual(children);
  const props = fdtget(['-p', file, path]).split('\n').filter(Boolean);
  expect(node.properties.map((p) => p.name), path).toEqual(props);
  for (const p of node.properties) {
    const bytes = p.value.length ? fdtget(['-t', 'bx', file, path, p.name]).split(/\s+/).map((x) => parseInt(x, 16)) : [];
    expect([...p.value], `${path} ${p.name}`).toEqual(bytes);
  }
  return 1 + node.children.reduce((n, c) => n + checkAgainstFdtget(file, c, `${path === '/' ? '' : path}/${c.name}`), 0);
}

const u32 = (b: Uint8Array, at: number, v: number) => new DataView(b.buffer, b.byteOffset).setUint32(at, v);

describe('FDT reader on trees built by dtc', () => {
  it.each(FIXTURES)('%s.dts: every node, property and value as libfdt (fdtget) reads them', (name) => {
    const dtb = compileDts(name);
    const file = join(dir, `${name}.dtb`);
    writeFileSync(file, dtb);
    const r = parseFdt(dtb);
    expect(r.problem).toBeNull();
    expect(r.header.totalsize).toBe(dtb.length);
    expect(checkAgainstFdtget(file, r.root!, '/')).toBeGreaterThan(0);
  });
});

describe('FDT reader on malformed trees', () => {
  const good = compileDts('kho-v3-luo-v5');
  const parsed = parseFdt(good);
  const blobSize = parsed.root!.children[0]!.properties.find((p) => p.name === 'blob-size')!;
  const h = parsed.header;
  const cases: Array<[string, (b: Uint8Array) => Uint8Array, number, RegExp]> = [
    ['bad magic', (b) => (u32(b, 0, 0xd00dfeee), b), 0, /magic 0xd00dfeee is not FDT_MAGIC/],
    ['version 15', (b) => (u32(b, 20, 15), b), 20, /version 15: only versions 16 and 17/],
    ['last_comp_version 18', (b) => (u32(b, 24, 18), b), 24, /last_comp_version 18/],
    ['totalsize 4 GiB - 1', (b) => (u32(b, 4, 0xffffffff), b), 4, /totalsize 4294967295 is above the 2097152-byte limit/],
    ['totalsize past the bytes', (b) => (u32(b, 4, b.length + 4096), b), 4, /runs past the memory that holds the tree/],
    ['totalsize below the header', (b) => (u32(b, 4, 20), b), 4, /smaller than the 40-byte header/],
    ['misaligned structure block', (b) => (u32(b, 8, h.off_dt_struct + 2), b), 8, /not 4-byte aligned/],
    ['strings block past totalsize', (b) => (u32(b, 32, 0x10000), b), 12, /the strings block .* runs past totalsize/],
    ['property length 4 GiB - 1', (b) => (u32(b, blobSize.offset - 8, 0xffffffff), b), blobSize.offset - 12, /property length 4294967295 runs past the structure block/],
    ['name offset outside the strings', (b) => (u32(b, blobSize.offset - 4, 0x7fffffff), b), blobSize.offset - 12, /name offset 2147483647 is outside the \d+-byte strings block/],
    ['unknown token', (b) => (u32(b, blobSize.offset - 12, 7), b), blobSize.offset - 12, /unknown token 0x7/],
    ['no FDT_END', (b) => (u32(b, 36, h.size_dt_struct - 4), b), h.off_dt_struct + h.size_dt_struct - 4, /ends at offset \d+ without FDT_END/],
    ['no reserve map end', (b) => (b.fill(0xff, h.off_mem_rsvmap, h.off_dt_struct), b), h.off_mem_rsvmap, /no terminating \(0, 0\) entry/],
  ];

  it.each(cases)('%s: the problem and its offset', (_, mutate, offset, message) => {
    const r = parseFdt(mutate(good.slice()));
    expect(r.problem).toEqual({ offset, message: expect.stringMatching(message) });
  });

  it(`nesting deeper than FDT_MAX_DEPTH (${FDT_MAX_DEPTH}) is refused, as libfdt's fdt_check_full does`, () => {
    const deep = (n: number) => `/dts-v1/;\n/ {\n${'a {\n'.repeat(n)}${'};\n'.repeat(n)}};\n`;
    const dtb = (n: number) => new Uint8Array(execFileSync('dtc', ['-q', '-I', 'dts', '-O', 'dtb', '-o', '-', '-'], { input: deep(n) }));
    expect(parseFdt(dtb(FDT_MAX_DEPTH - 1)).problem).toBeNull();
    expect(parseFdt(dtb(FDT_MAX_DEPTH)).problem!.message).toMatch(/nest deeper than 32 levels/);
  });

  it('a partial tree keeps what was read before the problem', () => {
    const b = good.slice();
    u32(b, blobSize.offset - 8, 0xffffffff);
    const r = parseFdt(b);
    expect(r.root!.properties.map((p) => p.name)).toEqual(['compatible', 'preserved-memory-map']);
  });
});
