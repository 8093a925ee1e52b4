/**
 * kho-abi/fuzz: the layout fuzzer and its fast-check arbitraries. A subpath of its own, so
 * `import 'kho-abi'` does not load fast-check.
 */
export { fuzz, DEFAULT_SEED as FUZZ_DEFAULT_SEED } from './fuzz.js';
export type { FuzzOptions, FuzzReport, FuzzIdReport, FuzzFailure } from './fuzz.js';
export type { FuzzCase } from './fuzz-case.js';
export { caseArb as fuzzCases } from './cases.js';
