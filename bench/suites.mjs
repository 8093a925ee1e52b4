// Every benchmark suite `npm run bench` runs, in order. To add one: write bench/NAME-bench.mjs
// exporting an async function ({ smoke, log }) that resolves to a section
//   { title, about?, header: [cell names], rows: [[cells]], checks: [check(...) from report.mjs], notes: [] }
// and list it here. Its checks are printed, written to BENCHMARKS.md and enforced by --check.
import { blockChainBench } from './block-chain-bench.mjs';
import { btfBench } from './btf-bench.mjs';
import { cliEndToEndBench } from './cli-end-to-end-bench.mjs';
import { cliStartBench } from './cli-start-bench.mjs';
import { codecBench } from './codec-bench.mjs';
import { discoveryBench } from './discovery-bench.mjs';
import { fuzzBench } from './fuzz-bench.mjs';
import { kdumpBench } from './kdump-bench.mjs';
import { streamedTextBench } from './streamed-text-bench.mjs';
import { validateBench } from './validate-bench.mjs';

/** Suites by the name `--only NAME` selects. */
export const suites = {
  codec: codecBench,
  validate: validateBench,
  'cli-start': cliStartBench,
  'cli-end-to-end': cliEndToEndBench,
  'block-chain': blockChainBench,
  fuzz: fuzzBench,
  btf: btfBench,
  'streamed-text': streamedTextBench,
  kdump: kdumpBench,
  discovery: discoveryBench,
};
