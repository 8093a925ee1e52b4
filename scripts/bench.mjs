#!/usr/bin/env node
// Every benchmark suite (bench/suites.mjs), each measuring its contenders side by side in this run.
// Usage: npm run bench [-- --smoke] [-- --only NAME[,NAME]] [-- --write BENCHMARKS.md] [-- --check]
//   --smoke  short runs, nothing judged (CI);  --check  exit 1 when a target is missed.
import { writeFileSync } from 'node:fs';
import { suites } from '../bench/suites.mjs';
import { machine, markdown, textTable } from '../bench/report.mjs';

const args = process.argv.slice(2);
const value = (flag) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined);
const smoke = args.includes('--smoke');
const enforce = args.includes('--check');
const writeTo = value('--write');
const only = value('--only')?.split(',');
const fail = (message) => {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(2);
};
if (args.includes('--write') && !writeTo) fail('--write needs a file name');
if (args.includes('--only') && !only) fail(`--only needs suite names (${Object.keys(suites).join(', ')})`);
if (enforce && smoke) fail('--check judges full runs only; --smoke measurements are too short');
const unknown = only?.find((name) => !(name in suites));
if (unknown) fail(`no suite ${unknown} (${Object.keys(suites).join(', ')})`);

const m = machine();
console.log(`${m.cpu}, ${m.cores} cores, Node ${m.node}, ${m.date}, load average ${m.load.toFixed(1)}${smoke ? ' (smoke)' : ''}`);
const sections = [];
for (const [name, run] of Object.entries(suites)) {
  if (only && !only.includes(name)) continue;
  process.stderr.write(`bench: ${name}\n`);
  const s = await run({ smoke, log: (line) => process.stderr.write(`${line}\n`) });
  sections.push(s);
  console.log(`\n${s.title}\n\n${textTable(s.header, s.rows)}\n${s.checks.map((c) => `\n${c.line}`).join('')}`);
}
if (writeTo) {
  writeFileSync(writeTo, markdown(sections, m, smoke));
  console.log(`\nwrote ${writeTo}`);
}
const missed = sections.flatMap((s) => s.checks).filter((c) => c.met !== true && !smoke);
if (missed.length) console.log(`\n${missed.length} target(s) not met:\n${missed.map((c) => `  ${c.line}`).join('\n')}`);
if (enforce && missed.length) process.exitCode = 1;
