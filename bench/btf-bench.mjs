#!/usr/bin/env node
// `kho-abi btf /sys/kernel/btf/vmlinux --struct pci_dev` beside `pahole -F btf … -C pci_dev`, run
// alternately through GNU time: median wall time and peak RSS of each. Targets: <= 1.5x pahole's
// wall time, <= 150 MB. Usage: node bench/btf-bench.mjs [--smoke] (after npm run build).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

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

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Run the comparison; `skipped` says why when the machine lacks vmlinux BTF, pahole or GNU time. */
export async function btfBench({ smoke = false } = {}) {
  const missing = [!existsSync(VMLINUX) && VMLINUX, !existsSync(TIME) && `${TIME} (GNU time)`, spawnSync('pahole', ['--version']).error && 'pahole (dwarves)'].filter(Boolean);
  if (missing.length) {
    const why = `BTF benchmark skipped: ${missing.join(', ')} missing on this machine`;
    return { text: why, markdown: `\n## BTF\n\n${why}.\n` };
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
  const ratio = ours.seconds / pahole.seconds;
  const verdict = `kho-abi btf vs pahole: ${ratio.toFixed(2)}x pahole's wall time (target <= ${TARGET_RATIO}x): ${ratio <= TARGET_RATIO ? 'MET' : 'MISSED'}; peak RSS ${ours.mb.toFixed(0)} MB (target <= ${TARGET_MB} MB): ${ours.mb <= TARGET_MB ? 'MET' : 'MISSED'}`;
  const line = (r) => `${r.name}: ${(r.seconds * 1000).toFixed(0)} ms, peak RSS ${r.mb.toFixed(0)} MB`;
  const table = ['| command | median wall ms | peak RSS MB |', '| --- | ---: | ---: |', ...rows.map((r) => `| ${r.name} | ${(r.seconds * 1000).toFixed(0)} | ${r.mb.toFixed(0)} |`)];
  const how = `${runs} runs of each, alternating, through GNU time (\`%e\`, \`%M\`); wall time is the median, RSS the peak. pahole is Debian's (its "Unknown kind" warnings for newer BTF kinds go to stderr and are part of its time).`;
  return { text: [...rows.map(line), verdict].join('\n'), markdown: `\n## BTF\n\n${how}\n\n${table.join('\n')}\n\n- ${verdict}.\n` };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log((await btfBench({ smoke: process.argv.includes('--smoke') })).text);
