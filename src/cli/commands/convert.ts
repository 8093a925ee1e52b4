import type { Command } from 'commander';
import { convert } from '../../convert/convert.js';
import { UsageError } from '../../errors.js';
import { formatFindingsText } from '../../format/findings.js';
import { writeAtomic } from '../../io/write-atomic.js';
import type { CliContext } from '../context.js';
import { examples, inFile, readBlob, withInputOptions, type InputFlags } from '../options.js';

function count(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new UsageError(`--max takes a device count, got "${value}"`);
  return n;
}

export function register(program: Command, ctx: CliContext): void {
  withInputOptions(
    program
      .command('convert')
      .argument('<blob>', 'blob file, or - for standard input')
      .description('re-encode the same device set under another flat layout; refuse (exit 1) what the target cannot hold')
      .requiredOption('--from <id>', 'ABI id of the blob')
      .requiredOption('--to <id>', 'ABI id to write')
      .requiredOption('-o, --output <file>', 'where to write the new blob (atomically)')
      .option('--max <n>', 'max_nr_devices of the new blob (default: the old one, or the device count)', count),
  )
    .addHelpText('after', examples('kho-abi convert v3.bin --from pci-v1/flat8-max64 --to pci-v2/flat8-max32 -o v4.bin'))
    .action(async (blob: string, opts: InputFlags & { from: string; to: string; output: string; max?: number }) => {
      const bytes = await readBlob(blob, opts);
      const r = inFile(blob, () => convert(bytes, opts.from, opts.to, opts.max === undefined ? {} : { max: opts.max }));
      if (!r.bytes) {
        ctx.err(formatFindingsText(r.findings.map((f) => ({ ...f, file: blob }))));
        ctx.exit(1);
        return;
      }
      await writeAtomic(opts.output, r.bytes);
      ctx.out(`${opts.output}: ${r.devices} device${r.devices === 1 ? '' : 's'} as ${opts.to} (${r.bytes.length} bytes)`);
    });
}
