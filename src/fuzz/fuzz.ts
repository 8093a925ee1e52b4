import fc from 'fast-check';
import { UsageError } from '../errors.js';
import { abis, getAbi, type AbiId } from '../registry.js';
import type { Finding } from '../findings.js';
import { baseArb, caseArb } from './cases.js';
import type { FuzzCase } from './fuzz-case.js';
import { mutators } from './mutators.js';
import { checkCase } from './properties.js';

/** The seed used when none is given, so that two runs of the same command fuzz the same cases. */
export const DEFAULT_SEED = 20260928;

/** Cases per id when neither --runs nor --time is given. */
export const DEFAULT_RUNS = 1000;

/** What fuzz() runs: which ids, how many cases, from which seed. */
export interface FuzzOptions {
  /** An id, a compat string naming one id, or `all` (default). */
  readonly abi?: string;
  /** Cases per id (default 1000; unbounded with `timeSeconds` alone). */
  readonly runs?: number;
  readonly seed?: number;
  /** Wall-clock budget for the whole run, shared among the ids left. */
  readonly timeSeconds?: number;
  /** Replay a failure: fast-check's path (`--path`), with the seed it was found with. */
  readonly path?: string;
  /** Called now and then with the cases done so far over every id. */
  readonly onProgress?: (done: number) => void;
  /** Called with every case of the search (not of shrinking) and its findings, e.g. to keep a corpus. */
  readonly onCase?: (c: FuzzCase, findings: readonly Finding[]) => void;
}

/** A failed property: enough to reproduce it and the shrunk case itself. */
export interface FuzzFailure {
  readonly abi: AbiId;
  readonly seed: number;
  /** fast-check's counterexample path: `kho-abi fuzz --abi ID --seed SEED --path PATH` replays it. */
  readonly path: string;
  readonly made: string;
  readonly problem: string;
  /** The shrunk case: the blob, or the ELF core image for block layouts. */
  readonly hex: string;
  readonly rootAddress?: string;
  readonly pageSize?: number;
}

/** One id's run. */
export interface FuzzIdReport {
  readonly abi: AbiId;
  readonly cases: number;
  /** Cases by how they were made (valid, each mutator). */
  readonly made: Readonly<Record<string, number>>;
  /** The time budget ended the run before `runs` cases. */
  readonly interrupted: boolean;
  readonly failure?: FuzzFailure;
}

/** The outcome of fuzz(): per id, and in all. */
export interface FuzzReport {
  readonly seed: number;
  readonly runs: number | null;
  readonly ids: readonly FuzzIdReport[];
  readonly cases: number;
  readonly failures: number;
  readonly seconds: number;
}

/** Run the fuzz properties on generated valid and mutated cases of one id or of every id. */
export function fuzz(options: FuzzOptions = {}): FuzzReport {
  const seed = options.seed ?? DEFAULT_SEED;
  const runs = options.runs ?? (options.timeSeconds === undefined ? DEFAULT_RUNS : null);
  const ids = !options.abi || options.abi === 'all' ? abis.map((a) => a.id) : [getAbi(options.abi).id];
  const start = performance.now();
  const reports: FuzzIdReport[] = [];
  let done = 0;
  ids.forEach((id, k) => {
    const left = options.timeSeconds === undefined ? undefined : options.timeSeconds * 1000 - (performance.now() - start);
    const budget = left === undefined ? undefined : Math.max(1, left / (ids.length - k));
    const report = fuzzId(id, { ...options, seed, runs }, budget, () => options.onProgress?.(++done));
    reports.push(report);
  });
  const cases = reports.reduce((n, r) => n + r.cases, 0);
  return { seed, runs, ids: reports, cases, failures: reports.filter((r) => r.failure).length, seconds: (performance.now() - start) / 1000 };
}

function fuzzId(abi: AbiId, options: Omit<FuzzOptions, 'runs'> & { seed: number; runs: number | null }, budgetMs: number | undefined, tick: () => void): FuzzIdReport {
  const made: Record<string, number> = {};
  let searching = true;
  let cases = 0;
  const property = fc.property(caseArb(getAbi(abi)), (c) => {
    const verdict = checkCase(c);
    if (searching) {
      cases++;
      made[c.made] = (made[c.made] ?? 0) + 1;
      options.onCase?.(c, verdict.findings);
      tick();
    }
    if (verdict.problem) {
      searching = false;
      throw new Error(verdict.problem);
    }
  });
  const details = replayable(options.path, options.seed, () => fc.check(property, {
    seed: options.seed,
    examples: firstOfEach(abi, options.seed).map((c) => [c]),
    numRuns: options.runs ?? 0x7fffffff,
    ...(options.path ? { path: options.path } : {}),
    ...(budgetMs !== undefined ? { interruptAfterTimeLimit: Math.ceil(budgetMs), markInterruptAsFailure: false } : {}),
  }));
  const base = { abi, cases, made: sortKeys(made), interrupted: details.interrupted };
  if (!details.failed || !details.counterexample) return base;
  const [c] = details.counterexample;
  return {
    ...base,
    failure: {
      abi,
      seed: details.seed,
      path: details.counterexamplePath ?? '',
      made: c.made,
      problem: checkCase(c).problem ?? String(details.errorInstance),
      hex: Buffer.from(c.bytes).toString('hex'),
      ...(c.image ? { rootAddress: `0x${c.image.rootAddress.toString(16)}`, pageSize: c.image.pageSize } : {}),
    },
  };
}

/** Run fc.check; a --path fast-check cannot replay under this seed is the user's mistake, said as one. */
function replayable<T>(path: string | undefined, seed: number, run: () => T): T {
  if (path !== undefined && !/^\d+(:\d+)*$/.test(path)) throw new UsageError(`--path takes the path printed with a failure (numbers joined by ":"), got "${path}"`);
  try {
    return run();
  } catch (e) {
    if (path === undefined || !/replay/i.test((e as Error).message)) throw e;
    throw new UsageError(`--path ${path} names no case of seed ${seed}: give the --seed and --path printed with the failure`);
  }
}

/** One case of every mutator that applies to some early base of the id: each rule is tried even in a short run. */
function firstOfEach(abi: AbiId, seed: number): FuzzCase[] {
  const bases = fc.sample(baseArb(getAbi(abi)), { seed, numRuns: 40 });
  return mutators.flatMap((m) => {
    const b = bases.find((x) => m.applies(x));
    return b ? fc.sample(m.cases(b), { seed, numRuns: 1 }) : [];
  });
}

function sortKeys(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a === 'valid' ? -1 : b === 'valid' ? 1 : a.localeCompare(b))));
}
