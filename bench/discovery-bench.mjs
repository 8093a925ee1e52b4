#!/usr/bin/env node
// Discovery with no address: `inspect --memory IMG@0x0` on a sparse 16 GiB raw dump whose Live
// Update state (a dtc-built KHO tree, a feature-header luo_ser, the FLB table, a pci/blk16-v1 blob
// and its block) sits in the last GiB, so the scan reads every page start first. Through the built
// CLI: best wall time and peak RSS. Targets: < 2 s, < 150 MiB.
// Usage: node bench/discovery-bench.mjs (after npm run build); npm run bench runs it too.
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, existsSync, ftruncateSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { check, runIfMain } from './report.mjs';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const MAX_RSS = fileURLToPath(new URL('./max-rss.mjs', import.meta.url));
const DTS = fileURLToPath(new URL('../fixtures/kho-fdt/kho-v4-composite-feat.dts', import.meta.url));
const SIZE = 16 * 2 ** 30;
const KHO = SIZE - 256 * 2 ** 20;
const TIME = '/usr/bin/time';
const TARGET_MS = 2000;
const TARGET_MIB = 150;

const le64 = (v) => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(v));
  return b;
};
const dtsBytes = (v) => `[${[...le64(v)].map((x) => x.toString(16).padStart(2, '0')).join(' ')}]`;

/** The sparse image: KHO tree at KHO, luo_ser one page above, then the FLB table, pci_ser and its block. */
function writeImage(path) {
  const [luo, flb, pci, block] = [1, 2, 3, 4].map((k) => KHO + k * 4096);
  const dts = readFileSync(DTS, 'utf8').replace(dtsBytes(0x50000), dtsBytes(luo));
  const kho = execFileSync('dtc', ['-q', '-I', 'dts', '-O', 'dtb', '-o', '-', '-'], { input: dts });
  const ser = Buffer.concat([le64(7), le64(7), le64(7), Buffer.alloc(104), le64(1), le64(0), le64(flb)]);
  const name = Buffer.alloc(48);
  name.write('pci');
  const table = Buffer.concat([le64(1), le64(1), name, le64(pci), le64(1)]);
  const root = Buffer.alloc(16);
  root.writeUInt32LE(1, 0);
  root.writeUInt32LE(1, 4);
  root.writeBigUInt64LE(BigInt(block), 8);
  const blk = Buffer.concat([le64(0), le64(1), Buffer.from([0, 0, 0, 0, 0x00, 0x3b, 1, 0])]);
  const fd = openSync(path, 'w');
  ftruncateSync(fd, SIZE);
  for (const [pa, bytes] of [[KHO, kho], [luo, ser], [flb, table], [pci, root], [block, blk]]) writeSync(fd, bytes, 0, bytes.length, pa);
  closeSync(fd);
}

/** One run: wall time, peak RSS and, under GNU time, the CPU seconds (user + system), which a loaded machine does not inflate. */
function run(args) {
  const node = [process.execPath, '--import', MAX_RSS, CLI, ...args];
  const argv = existsSync(TIME) ? [TIME, '-f', 'cpu-seconds=%U+%S', ...node] : node;
  const start = process.hrtime.bigint();
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const rss = /maxrss-kib=(\d+)/.exec(r.stderr);
  const cpu = /cpu-seconds=([\d.]+)\+([\d.]+)/.exec(r.stderr);
  if (r.status !== 0 || !rss || !r.stdout.includes('0000:3b:00.0')) throw new Error(`kho-abi ${args.join(' ')}: exit ${r.status}\n${r.stdout.slice(0, 2000)}${r.stderr}`);
  return { ms, mib: Number(rss[1]) / 1024, cpuMs: cpu ? (Number(cpu[1]) + Number(cpu[2])) * 1000 : null };
}

/** Run the benchmark: best of 3 runs (1 with --smoke); resolves to a report section. */
export async function discoveryBench({ smoke = false } = {}) {
  const runs = smoke ? 1 : 3;
  const dir = mkdtempSync(join(tmpdir(), 'kho-abi-discovery-bench-'));
  try {
    const image = join(dir, 'ram.bin');
    writeImage(image);
    const all = Array.from({ length: runs }, () => run(['inspect', '--memory', `${image}@0x0`]));
    const ms = Math.min(...all.map((r) => r.ms));
    const peakMiB = Math.max(...all.map((r) => r.mib));
    const cpus = all.flatMap((r) => (r.cpuMs === null ? [] : [r.cpuMs]));
    const cpuMs = cpus.length ? String(Math.round(Math.min(...cpus))) : 'n/a';
    return {
      title: 'Discovery in a sparse 16 GiB image',
      about: `A sparse 16 GiB raw dump with the Live Update state 256 MiB below its end (a dtc-built "kho-v4;radix-v1;vmalloc-v1" tree, a feature-header struct luo_ser, the FLB table, a pci/blk16-v1 blob and its block); the built CLI finds it with no address. Best of ${runs} wall times, peak RSS = VmHWM (bench/max-rss.mjs); reads of 1 MiB and more bypass the kernel page cache (O_DIRECT), so a cold image costs the same and leaves no 16 GiB of zero pages cached.`,
      header: ['command', 'wall ms', 'CPU ms (user + sys)', 'peak RSS MiB'],
      rows: [['inspect --memory IMG@0x0 (scan 4,194,304 page starts, follow KHO -> LUO -> FLB -> pci_ser)', String(Math.round(ms)), cpuMs, String(Math.round(peakMiB))]],
      checks: [check('discovery on 16 GiB: wall time', ms, TARGET_MS, ' ms', smoke, 'max'), check('discovery on 16 GiB: peak RSS', peakMiB, TARGET_MIB, ' MiB', smoke, 'max')],
      notes: [],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await runIfMain(import.meta.url, discoveryBench);
