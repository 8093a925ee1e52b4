/** Property runs per test: modest by default, FUZZ_RUNS when set (`npm run fuzz`). */
export const numRuns = Number(process.env.FUZZ_RUNS) || 200;
