#!/usr/bin/env node
// `kho-abi btf /sys/kernel/btf/vmlinux --struct pci_dev` beside `pahole -F btf … -C pci_dev`, run
// alternately through GNU time: median wall time and peak RSS of each. Targets: <= 1.5x pahole's
// wall time, <= 150 MB. Usage: node bench/btf-bench.mjs [--smoke] (after npm run build).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { median } from './measure.mjs';
import { check, runIfMain } from './report.mjs';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const VMLINUX = '/sys/kernel/btf/vmlinux';
const TIME = '/usr/bin/time';
const TARGET_RATIO = 1.5;
const TARGET_MB = 150;

/** One run through GNU time: wall seconds and peak RSS (MB), with the command's exit status. */
function timed(cmd, args) {
  const r = spawnSync(TIME, ['-f', 'time=%e rss=%M', cmd, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const m = /time=([\d.]+) rss=(\d+)\s*$/.exec(r.stderr);
  if (!m || r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: exit ${r.status}\n${r.stderr.slice(-2000)}`);
  return { seconds: Number(m[1]), mb: Number(m[2]) / 1024 };
}

/** Run the comparison; resolves to a report section (its checks not measured, and saying why, when the machine lacks vmlinux BTF, pahole or GNU time). */
export async function btfBench({ smoke = false } = {}) {
  const missing = [!existsSync(VMLINUX) && VMLINUX, !existsSync(TIME) && `${TIME} (GNU time)`, spawnSync('pahole', ['--version']).error && 'pahole (dwarves)'].filter(Boolean);
  const header = ['command', 'median wall ms', 'peak RSS MB'];
  if (missing.length) {
    const why = `skipped: ${missing.join(', ')} missing on this machine`;
    const skipped = (what) => ({ ...check(what, NaN, 0, '', smoke), line: `${what}: ${why}` });
    return { title: 'BTF', header, rows: [], checks: [skipped('kho-abi btf vs pahole'), skipped('kho-abi btf peak RSS')], notes: [] };
  }
  const runs = smoke ? 3 : 11;
  const cases = [
    { name: 'kho-abi btf /sys/kernel/btf/vmlinux --struct pci_dev', cmd: process.execPath, args: [CLI, 'btf', VMLINUX, '--struct', 'pci_dev'] },
    { name: 'pahole -F btf /sys/kernel/btf/vmlinux -C pci_dev', cmd: 'pahole', args: ['-F', 'btf', VMLINUX, '-C', 'pci_dev'] },
    { name: 'node startup alone (kho-abi --version)', cmd: process.execPath, args: [CLI, '--version'] },
  ];
  const samples = cases.map(() => []);
  for (let i = 0; i < runs; i++) cases.forEach((c, k) => samples[k].push(timed(c.cmd, c.args)));
  const rows = cases.map((c, k) => ({ name: c.name, seconds: median(samples[k].map((s) => s.seconds)), mb: Math.max(...samples[k].map((s) => s.mb)) }));
  const [ours, pahole] = rows;
  return {
    title: 'BTF',
    about: `${runs} runs of each, alternating, through GNU time (\`%e\`, \`%M\`); wall time is the median, RSS the peak. pahole is Debian's (its "Unknown kind" warnings for newer BTF kinds go to stderr and are part of its time).`,
    header,
    rows: rows.map((r) => [r.name, (r.seconds * 1000).toFixed(0), r.mb.toFixed(0)]),
    checks: [
      check('kho-abi btf vs pahole, wall time', ours.seconds / pahole.seconds, TARGET_RATIO, "x pahole's", smoke, 'max'),
      check('kho-abi btf peak RSS', ours.mb, TARGET_MB, ' MB', smoke, 'max'),
    ],
    notes: [],
  };
}

await runIfMain(import.meta.url, btfBench);
