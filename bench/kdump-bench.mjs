#!/usr/bin/env node
// The same 5,000-block KHO chain (2.55M entries) in one 256 MiB guest's RAM saved four ways:
// raw, ELF64 core, kdump-zlib (fixtures/gen/write-kdump.c with zlib) and that kdump file as
// makedumpfile's flattened stream; validate and decode --json through the built CLI, wall
// time and peak RSS of each run. Usage: node bench/kdump-bench.mjs (after npm run build).
import { execFileSync } from 'node:child_process';
import { closeSync, ftruncateSync, mkdtempSync, openSync, readSync, rmSync, writeSync, fstatSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from './block-chain-bench.mjs';

const WRITE_KDUMP = fileURLToPath(new URL('../fixtures/gen/write-kdump.c', import.meta.url));
const RAM = 256 * 2 ** 20;
const BLOCKS = 5000;
const PER_BLOCK = (4096 - 16) / 8;
const ROOT = 0x1000;
const FIRST_BLOCK = 0x100000;
const STRIDE = 0xc000;
const ELF_DATA = 4096;

/** The chain's pages: pci/blk16-v1 root at 0x1000, BLOCKS full blocks 48 KiB apart from 1 MiB, every entry in use. */
function* chainPages() {
  const root = Buffer.alloc(4096);
  root.writeUInt32LE(1, 0);
  root.writeUInt32LE(BLOCKS * PER_BLOCK, 4);
  root.writeBigUInt64LE(BigInt(FIRST_BLOCK), 8);
  yield [ROOT, root];
  const page = Buffer.alloc(4096);
  for (let k = 0; k < BLOCKS; k++) {
    const at = FIRST_BLOCK + k * STRIDE;
    page.writeBigUInt64LE(k + 1 < BLOCKS ? BigInt(at + STRIDE) : 0n, 0);
    page.writeBigUInt64LE(BigInt(PER_BLOCK), 8);
    for (let i = 0; i < PER_BLOCK; i++) {
      const n = k * PER_BLOCK + i;
      page.writeUInt32LE(n >>> 16, 16 + i * 8);
      page.writeUInt16LE(n & 0xffff, 20 + i * 8);
      page.writeUInt16LE(1, 22 + i * 8);
    }
    yield [at, page];
  }
}

/** RAM as a sparse file at `dataOffset` of `path`, after `head`. */
function writeRam(path, head = Buffer.alloc(0), dataOffset = 0) {
  const fd = openSync(path, 'w');
  ftruncateSync(fd, dataOffset + RAM);
  writeSync(fd, head, 0, head.length, 0);
  for (const [pa, bytes] of chainPages()) writeSync(fd, bytes, 0, bytes.length, dataOffset + pa);
  closeSync(fd);
}

/** An ELF64 core header with one PT_LOAD of all RAM at file offset ELF_DATA. */
function elfHeader() {
  const h = Buffer.alloc(64 + 56);
  h.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]);
  h.writeUInt16LE(4, 16);
  h.writeUInt16LE(62, 18);
  h.writeUInt32LE(1, 20);
  h.writeBigUInt64LE(64n, 32);
  h.writeUInt16LE(64, 52);
  h.writeUInt16LE(56, 54);
  h.writeUInt16LE(1, 56);
  h.writeUInt32LE(1, 64);
  h.writeBigUInt64LE(BigInt(ELF_DATA), 64 + 8);
  h.writeBigUInt64LE(BigInt(RAM), 64 + 32);
  h.writeBigUInt64LE(BigInt(RAM), 64 + 40);
  return h;
}

/** makedumpfile's flattened stream of a file: 1 MiB records. */
function flatten(path, out) {
  const fdIn = openSync(path, 'r');
  const fdOut = openSync(out, 'w');
  const head = Buffer.alloc(4096);
  head.write('makedumpfile', 'latin1');
  head.writeBigInt64BE(1n, 16);
  head.writeBigInt64BE(1n, 24);
  writeSync(fdOut, head);
  const buf = Buffer.alloc(1 << 20);
  const size = fstatSync(fdIn).size;
  for (let at = 0; at < size; at += buf.length) {
    const n = readSync(fdIn, buf, 0, buf.length, at);
    const rec = Buffer.alloc(16);
    rec.writeBigInt64BE(BigInt(at), 0);
    rec.writeBigInt64BE(BigInt(n), 8);
    writeSync(fdOut, rec);
    writeSync(fdOut, buf, 0, n);
  }
  writeSync(fdOut, Buffer.alloc(16, 0xff));
  closeSync(fdIn);
  closeSync(fdOut);
}

/** Run the benchmark: one row per image format and command, best of `runs`. */
export async function kdumpBench({ runs = 3 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'kho-abi-kdump-bench-'));
  try {
    const raw = join(dir, 'ram.bin');
    writeRam(raw);
    writeRam(join(dir, 'ram.elf'), elfHeader(), ELF_DATA);
    const writer = join(dir, 'write-kdump');
    execFileSync('gcc', ['-std=gnu11', '-O2', '-o', writer, WRITE_KDUMP, '-lz', '-llzo2', '-lsnappy', '-lzstd']);
    execFileSync(writer, [raw, '0x0', 'zlib', '4096', '6', 'x86_64', join(dir, 'ram.kdump')]);
    flatten(join(dir, 'ram.kdump'), join(dir, 'ram.flat'));
    const images = [
      ['raw (FILE@0x0)', `${raw}@0x0`],
      ['ELF64 core', join(dir, 'ram.elf')],
      ['kdump-zlib', join(dir, 'ram.kdump')],
      ['kdump-zlib, flattened', join(dir, 'ram.flat')],
    ];
    const rows = [];
    for (const [format, image] of images) {
      const size = fstatSync(openSync(image.replace(/@0x0$/, ''), 'r')).size;
      for (const command of ['validate', 'decode --json']) {
        const args = [...command.split(' '), '--memory', image, '--root-pa', `0x${ROOT.toString(16)}`, '--abi', 'pci/blk16-v1'];
        const all = Array.from({ length: runs }, () => runCli(args));
        const failed = all.find((r) => r.code !== 0);
        if (failed) throw new Error(`kho-abi ${args.join(' ')}: exit ${failed.code}`);
        const best = all.reduce((a, b) => (b.ms < a.ms ? b : a));
        rows.push({ runs, format, command, fileMiB: Math.round(size / 2 ** 20), ms: Math.round(best.ms), peakMiB: Math.round(Math.max(...all.map((r) => r.mib))) });
      }
    }
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The BENCHMARKS.md section for the rows. */
export function kdumpMarkdown(rows) {
  return [
    '',
    '## The chain in each memory image format',
    '',
    `${BLOCKS.toLocaleString('en-US')} full blocks (${(BLOCKS * PER_BLOCK).toLocaleString('en-US')} in-use entries, pci/blk16-v1) 48 KiB apart in a 256 MiB guest's RAM, saved as a sparse raw dump, a sparse ELF64 core, a kdump-zlib file (fixtures/gen/write-kdump.c with zlib, zero pages left out) and that file as a flattened stream; \`validate\` and \`decode --json\` (output discarded) with \`--memory IMG --root-pa 0x1000\`, best of ${rows[0]?.runs} wall times, peak RSS = VmHWM of the CLI process. Generated by \`node bench/kdump-bench.mjs\` (also part of \`npm run bench\`).`,
    '',
    '| image | file MiB | command | wall ms | peak RSS MiB |',
    '| --- | ---: | --- | ---: | ---: |',
    ...rows.map((r) => `| ${r.format} | ${r.fileMiB} | ${r.command} | ${r.ms} | ${r.peakMiB} |`),
    '',
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const r of await kdumpBench()) console.log(`${r.format.padEnd(24)} ${r.command.padEnd(14)} ${String(r.ms).padStart(6)} ms ${String(r.peakMiB).padStart(5)} MiB`);
}
