#!/usr/bin/env node
// The same 5,000-block KHO chain (2.55M entries) in one 256 MiB guest's RAM saved four ways:
// raw, ELF64 core, kdump-zlib (fixtures/gen/write-kdump.c with zlib) and that kdump file as
// makedumpfile's flattened stream; validate and decode --json through the built CLI, wall
// time and peak RSS of each run. Usage: node bench/kdump-bench.mjs (after npm run build).
import { execFileSync } from 'node:child_process';
import { closeSync, fstatSync, ftruncateSync, mkdtempSync, openSync, readSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bestOf, chainPages, PER_BLOCK } from './chain-image.mjs';
import { runIfMain } from './report.mjs';

const WRITE_KDUMP = fileURLToPath(new URL('../fixtures/gen/write-kdump.c', import.meta.url));
const RAM = 256 * 2 ** 20;
const BLOCKS = 5000;
const ROOT = 0x1000;
const FIRST_BLOCK = 0x100000;
const STRIDE = 0xc000;
const ELF_DATA = 4096;

/** RAM as a sparse file at `dataOffset` of `path`, after `head`. */
function writeRam(path, head = Buffer.alloc(0), dataOffset = 0) {
  const fd = openSync(path, 'w');
  ftruncateSync(fd, dataOffset + RAM);
  writeSync(fd, head, 0, head.length, 0);
  for (const [pa, bytes] of chainPages({ root: ROOT, blocks: BLOCKS, firstBlock: FIRST_BLOCK, stride: STRIDE })) writeSync(fd, bytes, 0, bytes.length, dataOffset + pa);
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

/** Run the benchmark: one row per image format and command, best of 3 runs (1 with --smoke); resolves to a report section. */
export async function kdumpBench({ smoke = false } = {}) {
  const runs = smoke ? 1 : 3;
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
      const size = statSync(image.replace(/@0x0$/, '')).size;
      for (const command of ['validate', 'decode --json']) {
        const args = [...command.split(' '), '--memory', image, '--root-pa', `0x${ROOT.toString(16)}`, '--abi', 'pci/blk16-v1'];
        const { ms, mib } = bestOf(runs, args);
        rows.push([format, String(Math.round(size / 2 ** 20)), command, String(Math.round(ms)), String(Math.round(mib))]);
      }
    }
    return {
      title: 'The chain in each memory image format',
      about: `${BLOCKS.toLocaleString('en-US')} full blocks (${(BLOCKS * PER_BLOCK).toLocaleString('en-US')} in-use entries, pci/blk16-v1) 48 KiB apart in a 256 MiB guest's RAM, saved as a sparse raw dump, a sparse ELF64 core, a kdump-zlib file (fixtures/gen/write-kdump.c with zlib, zero pages left out) and that file as a flattened stream; \`validate\` and \`decode --json\` (output discarded) with \`--memory IMG --root-pa 0x1000\`, best of ${runs} wall times, peak RSS = VmHWM of the CLI process. Recorded, not judged.`,
      header: ['image', 'file MiB', 'command', 'wall ms', 'peak RSS MiB'],
      rows,
      checks: [],
      notes: [],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await runIfMain(import.meta.url, kdumpBench);
