import { Option, type Command } from 'commander';
import { UsageError } from '../../errors.js';
import { ValidationReport, type ValidationFormat } from '../../format/validation.js';
import { listBlobs } from '../../io/list-blobs.js';
import { getAbi } from '../../registry.js';
import { ruleMetadata, validate } from '../../validate/validate.js';
import type { CliContext } from '../context.js';
import { progressBar } from '../progress.js';
import { loadBlob, openMemory, withMemoryOptions, type MemoryFlags } from '../memory-options.js';
import { examples } from '../help-examples.js';
import { withInputOptions, type InputFlags } from '../options.js';

interface Opts extends InputFlags, MemoryFlags {
  abi: string;
  format: ValidationFormat;
  json?: boolean;
  strict?: boolean;
  maxPerRule: number;
}

function count(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) throw new UsageError(`--max-per-rule takes a count (0: show all), got "${value}"`);
  return n;
}

export function register(program: Command, ctx: CliContext): void {
  withMemoryOptions(withInputOptions(
    program
      .command('validate')
      .argument('[blob...]', 'blob files, directories (every regular file in them, sorted; not .json/.txt/.md sidecars, not subdirectories), or - for standard input (none with --root-pa)')
      .description('check every rule of the id; exit 1 when a blob has an error finding')
      .requiredOption('--abi <id>', 'ABI id (kho-abi list)')
      .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'github', 'sarif']).default('text'))
      .addOption(new Option('--json', 'same as --format json').conflicts('format'))
      .option('--strict', 'warnings make a blob invalid too')
      .addOption(new Option('--max-per-rule <n>', 'findings shown per rule and blob, the rest counted in one (0: show all)').argParser(count).default(20)),
  ))
    .addHelpText(
      'after',
      examples(
        'kho-abi validate blob.bin --abi pci-v2/flat8-max32',
        'kho-abi validate captured/ --abi pci-v3/flat8-max32 --format github',
        'kho-abi validate a.bin b.bin --abi pci-v1/flat8-max64 --format sarif > validate.sarif',
        'kho-abi validate --memory vmcore.elf --root-pa 0x100000 --abi pci/blk16-v2',
      ),
    )
    .action(async (blobs: string[], o: Opts) => {
      const abi = getAbi(o.abi);
      const memory = openMemory(o);
      if (o.rootPa !== undefined && blobs.length) throw new UsageError(`--root-pa reads the root from memory: drop the blob arguments`);
      const { files, directories, skipped } = o.rootPa !== undefined ? { files: [undefined], directories: 0, skipped: [] } : await listBlobs(blobs);
      if (skipped.length) ctx.err(`kho-abi: note: skipped ${skipped.join(', ')}`);
      if (files.length === 0) throw new UsageError(`no blob files in ${blobs.join(', ')}`);
      const info = { abi: abi.id, rules: ruleMetadata(), tool: { name: 'kho-abi', version: program.version() ?? '0.0.0' }, many: files.length > 1 || directories > 0 };
      // Each blob's lines are printed as soon as it is validated: nothing is kept but the counts.
      const report = new ValidationReport(o.json ? 'json' : o.format, info);
      const bar = progressBar(ctx, files.length);
      let done = 0;
      let invalid = false;
      for (const file of files) {
        const { bytes, name, options } = await loadBlob(file, abi.id, o, memory);
        const r = validate(bytes, abi.id, { strict: o.strict, maxPerRule: o.maxPerRule, ...options });
        if (!r.valid) invalid = true;
        const text = report.add({ file: name, ...r });
        if (text) {
          bar.clear();
          await ctx.outChunks(text);
        }
        bar.tick(++done);
      }
      bar.clear();
      const tail = report.end();
      if (tail) await ctx.outChunks(tail);
      if (invalid) ctx.exit(1);
    });
}
