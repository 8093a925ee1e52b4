// Fuzz throughput: validate() alone on small fuzz cases (valid and mutated blobs of every flat id),
// in a tight loop over cases generated beforehand, so fast-check's generation is not counted.
// Then the whole fuzz command's rate (generation + every property) for comparison.
// Usage: node bench/fuzz-bench.mjs [--smoke]
import fc from 'fast-check';
import { abis, fuzz, fuzzCases, validate } from '../dist/index.js';
import { measure } from './measure.mjs';

const smoke = process.argv.includes('--smoke');
const CASES = smoke ? 256 : 4096;
const minSeconds = smoke ? 0.05 : 1;
const flat = abis.filter((a) => a.storage === 'inline');

const rows = [];
let allCases = [];
for (const abi of flat) {
  const cases = fc.sample(fuzzCases(abi), { numRuns: CASES, seed: 1 }).filter((c) => !c.image);
  allCases = allCases.concat(cases);
  let i = 0;
  const m = measure(() => {
    const c = cases[i++ % cases.length];
    return validate(c.bytes, c.abi).findings.length + 1;
  }, { minSeconds });
  const bytes = cases.reduce((n, c) => n + c.bytes.length, 0) / cases.length;
  const invalid = cases.filter((c) => !c.valid).length / cases.length;
  rows.push({ abi: abi.id, cases: cases.length, meanBytes: bytes, mutated: invalid, perSecond: m.ops / m.seconds });
}
let j = 0;
const mixed = measure(() => {
  const c = allCases[j++ % allCases.length];
  return validate(c.bytes, c.abi).findings.length + 1;
}, { minSeconds });

console.log('| ABI id | cases in the loop | mean size (bytes) | mutated | validate() cases/s |');
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const r of rows) console.log(`| ${r.abi} | ${r.cases} | ${r.meanBytes.toFixed(0)} | ${(r.mutated * 100).toFixed(0)}% | ${Math.round(r.perSecond).toLocaleString('en-US')} |`);
console.log(`| all flat ids, interleaved | ${allCases.length} | ${(allCases.reduce((n, c) => n + c.bytes.length, 0) / allCases.length).toFixed(0)} | ${((allCases.filter((c) => !c.valid).length / allCases.length) * 100).toFixed(0)}% | ${Math.round(mixed.ops / mixed.seconds).toLocaleString('en-US')} |`);
const min = Math.min(...rows.map((r) => r.perSecond), mixed.ops / mixed.seconds);
console.log(`\nTarget >= 200,000 small-blob validate cases/s per core: slowest ${Math.round(min).toLocaleString('en-US')} cases/s: ${min >= 200_000 ? 'MET' : 'MISSED'}`);

const runs = smoke ? 100 : 5000;
const whole = fuzz({ abi: 'all', runs });
console.log(`\nkho-abi fuzz --abi all --runs ${runs} (generation, validate, decode/encode round trips, shrinking ready): ${whole.cases} cases in ${whole.seconds.toFixed(1)} s = ${Math.round(whole.cases / whole.seconds).toLocaleString('en-US')} cases/s, ${whole.failures} failed`);
