import { Option, type Command } from 'commander';
import { UsageError } from '../../errors.js';
import { formatFuzz } from '../../format/fuzz.js';
import { CorpusCollector, writeCorpus } from '../../fuzz/corpus.js';
import { DEFAULT_RUNS, DEFAULT_SEED, fuzz } from '../../fuzz/fuzz.js';
import { abis, getAbi } from '../../registry.js';
import type { CliContext } from '../context.js';
import { rateBar } from '../rate-bar.js';
import { examples } from '../help-examples.js';

interface Opts {
  abi: string;
  runs?: number;
  seed: number;
  time?: number;
  path?: string;
  corpus?: string;
  json?: boolean;
}

function positive(flag: string, integer: boolean) {
  return (value: string): number => {
    const n = Number(value);
    if (!(n > 0) || (integer && !Number.isSafeInteger(n)) || !Number.isFinite(n)) throw new UsageError(`${flag} takes a positive ${integer ? 'count' : 'number'}, got "${value}"`);
    return n;
  };
}

function seed(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < -0x80000000 || n > 0x7fffffff) throw new UsageError(`--seed takes a 32-bit integer, got "${value}"`);
  return n;
}

export function register(program: Command, ctx: CliContext): void {
  program
    .command('fuzz')
    .description('property runs on generated valid and mutated blobs (block ids: images); exit 1 with the shrunk counterexample when a property fails')
    .requiredOption('--abi <id>', 'ABI id, or all')
    .addOption(new Option('--runs <n>', `cases per id (default ${DEFAULT_RUNS}, or unbounded with --time)`).argParser(positive('--runs', true)))
    .addOption(new Option('--seed <n>', 'fast-check seed: the same seed makes the same cases').argParser(seed).default(DEFAULT_SEED))
    .addOption(new Option('--time <seconds>', 'stop after this many seconds in all').argParser(positive('--time', false)))
    .option('--path <path>', 'replay one failure: the path printed with it (with its --seed)')
    .option('--corpus <dir>', 'write kept cases (blobs or images), JSON sidecars and kho_abi_corpus.h (C arrays for KUnit) into DIR')
    .option('--json', 'print the report as JSON (with timings)')
    .addHelpText(
      'after',
      examples('kho-abi fuzz --abi all --runs 100000', 'kho-abi fuzz --abi pci-v3/flat8-max32 --time 60', 'kho-abi fuzz --abi pci/blk16-v2 --runs 500 --corpus corpus/'),
    )
    .action(async (o: Opts) => {
      const abi = o.abi === 'all' ? 'all' : getAbi(o.abi).id;
      const ids = abi === 'all' ? abis.length : 1;
      const corpus = o.corpus === undefined ? undefined : new CorpusCollector();
      if (ctx.stderrIsTTY) ctx.err(`kho-abi fuzz: seed ${o.seed}`);
      const bar = rateBar(ctx, o.runs === undefined ? undefined : o.runs * ids);
      const report = fuzz({
        abi,
        seed: o.seed,
        ...(o.runs !== undefined ? { runs: o.runs } : {}),
        ...(o.time !== undefined ? { timeSeconds: o.time } : {}),
        ...(o.path !== undefined ? { path: o.path } : {}),
        onProgress: bar.tick,
        ...(corpus ? { onCase: (c, findings) => corpus.add(c, findings) } : {}),
      });
      bar.end(report.cases, report.seconds);
      ctx.out(formatFuzz(report, o.json ? 'json' : 'text'));
      if (corpus && o.corpus !== undefined) {
        const files = await writeCorpus(o.corpus, corpus.entries, report.seed);
        if (!o.json) ctx.out(`corpus: ${corpus.entries.length} cases, ${files.length} files in ${o.corpus} (C header: kho_abi_corpus.h)`);
      }
      if (report.failures) ctx.exit(1);
    });
}
