// Fuzz throughput: validate() alone on small fuzz cases (valid and mutated blobs of every flat id),
// in a tight loop over cases generated beforehand, so fast-check's generation is not counted.
// Then the whole fuzz command's rate (generation + every property) for comparison.
// Usage: node bench/fuzz-bench.mjs [--smoke] (after npm run build); npm run bench runs it too.
import fc from 'fast-check';
import { abis, validate } from '../dist/index.js';
import { fuzz, fuzzCases } from '../dist/fuzz.js';
import { measure } from './measure.mjs';
import { check, runIfMain } from './report.mjs';

const TARGET = 200_000;
const per = (n) => Math.round(n).toLocaleString('en-US');

/** Measure; resolves to a report section. */
export async function fuzzBench({ smoke = false } = {}) {
  const casesPerId = smoke ? 256 : 4096;
  const minSeconds = smoke ? 0.05 : 1;
  const measured = [];
  let allCases = [];
  for (const abi of abis.filter((a) => a.storage === 'inline')) {
    const cases = fc.sample(fuzzCases(abi), { numRuns: casesPerId, seed: 1 }).filter((c) => !c.image);
    allCases = allCases.concat(cases);
    measured.push({ name: abi.id, cases, rate: loopRate(cases, minSeconds) });
  }
  measured.push({ name: 'all flat ids, interleaved', cases: allCases, rate: loopRate(allCases, minSeconds) });
  const slowest = Math.min(...measured.map((r) => r.rate));
  const runs = smoke ? 100 : 5000;
  const whole = fuzz({ abi: 'all', runs });
  const rows = measured.map((r) => {
    const bytes = r.cases.reduce((n, c) => n + c.bytes.length, 0) / r.cases.length;
    const mutated = r.cases.filter((c) => !c.valid).length / r.cases.length;
    return [r.name, String(r.cases.length), bytes.toFixed(0), `${(mutated * 100).toFixed(0)}%`, per(r.rate)];
  });
  return {
    title: 'Fuzzing',
    about: [
      'What is measured: `validate(bytes, id)` with every rule of the id, in a tight loop over fuzz cases generated',
      `beforehand (\`fc.sample(fuzzCases(abi), { numRuns: ${casesPerId}, seed: 1 })\`, so fast-check's generation is not`,
      'timed): small blobs of every flat id, about 1 in 5 valid as the kernel writer leaves them and 4 in 5 mutated',
      '(targeted mutators, bit flips, splices), findings and their messages included. One process, one thread: per core.',
    ].join('\n'),
    header: ['ABI id', 'cases in the loop', 'mean size (bytes)', 'mutated', 'validate() cases/s'],
    rows,
    checks: [check('small-blob validate cases/s per core, slowest id', slowest, TARGET, ' cases/s', smoke)],
    notes: [
      `The whole fuzz command (generation by fast-check, validate, decode → JSON → encode round trips, the block ids' ELF images built and parsed) is much slower per case: kho-abi fuzz --abi all --runs ${runs}: ${per(whole.cases)} cases in ${whole.seconds.toFixed(1)} s = ${per(whole.cases / whole.seconds)} cases/s, ${whole.failures} failed.`,
      'Block ids are not in the table: their cases are ELF core images (root page and KHO blocks, 12 KiB and up) validated with a memory image, not small blobs.',
    ],
  };
}

/** validate() calls per second over the cases, in a loop. */
function loopRate(cases, minSeconds) {
  let i = 0;
  const m = measure(() => {
    const c = cases[i++ % cases.length];
    return validate(c.bytes, c.abi).findings.length + 1;
  }, { minSeconds });
  return m.ops / m.seconds;
}

await runIfMain(import.meta.url, fuzzBench);
