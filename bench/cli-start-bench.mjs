// CLI start: `kho-abi --version` and `kho-abi list` (the built command) beside `node -e 0`,
// spawned in turn, round after round; median wall times and round-by-round ratios.
// Standalone: node bench/cli-start-bench.mjs [--smoke] (after npm run build).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { median } from './measure.mjs';
import { check, runIfMain } from './report.mjs';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const TARGET = 1.5;

/** Wall milliseconds of one run of node with `args`; throws when it fails. */
function wallMs(args) {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')}: exit ${r.status}: ${r.stderr}`);
  return ms;
}

/** Run the suite; resolves to its section of the report. */
export async function cliStartBench({ smoke = false } = {}) {
  const rounds = smoke ? 2 : 21;
  const runs = { node: ['-e', '0'], version: [CLI, '--version'], list: [CLI, 'list'] };
  const ms = Object.fromEntries(Object.keys(runs).map((k) => [k, []]));
  for (const args of Object.values(runs)) wallMs(args); // warm the page cache
  for (let r = 0; r < rounds; r++) for (const [k, args] of Object.entries(runs)) ms[k].push(wallMs(args));
  const ratio = (k) => median(ms[k].map((x, i) => x / ms.node[i]));
  const rows = [
    ['node -e 0', median(ms.node).toFixed(0), ''],
    ['kho-abi --version', median(ms.version).toFixed(0), `${ratio('version').toFixed(2)}x node -e 0`],
    ['kho-abi list', median(ms.list).toFixed(0), `${ratio('list').toFixed(2)}x node -e 0`],
  ];
  return {
    title: 'CLI start',
    about: `The built command (\`node dist/cli.js\`) spawned as a user runs it, output discarded, beside \`node -e 0\`: the three in turn, ${rounds} rounds; median wall times, ratios the median of the round-by-round ratios.`,
    header: ['command', 'median wall ms', 'ratio'],
    rows,
    checks: [
      check('kho-abi --version start', ratio('version'), TARGET, 'x node -e 0', smoke, 'max'),
      check('kho-abi list start', ratio('list'), TARGET, 'x node -e 0', smoke, 'max'),
    ],
    notes: [],
  };
}

await runIfMain(import.meta.url, cliStartBench);
