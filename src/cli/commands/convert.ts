import type { Command } from 'commander';
import { convert } from '../../convert/convert.js';
import { UsageError } from '../../errors.js';
import { formatFindingsText } from '../../format/findings.js';
import { writeAtomic } from '../../io/write-atomic.js';
import type { CliContext } from '../context.js';
import { loadBlob, openMemory, physAddress, withMemoryOptions, type MemoryFlags } from '../memory-options.js';
import { examples } from '../help-examples.js';
import { inFile, withInputOptions, type InputFlags } from '../options.js';
import { getAbi } from '../../registry.js';
import { validate } from '../../validate/validate.js';
import { reportBlobFindings } from '../blob-findings.js';

interface Opts extends InputFlags, MemoryFlags {
  from: string;
  to: string;
  output: string;
  max?: number;
  outRootPa?: bigint;
  outBlocksPa?: bigint;
}

function count(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new UsageError(`--max takes a device count, got "${value}"`);
  return n;
}

export function register(program: Command, ctx: CliContext): void {
  withMemoryOptions(withInputOptions(
    program
      .command('convert')
      .argument('[blob]', 'blob file, or - for standard input (none with --root-pa)')
      .description('re-encode the same device set under another layout (flat or block chain); refuse (exit 1) an invalid blob and what the target cannot hold')
      .requiredOption('--from <id>', 'ABI id of the blob')
      .requiredOption('--to <id>', 'ABI id to write')
      .requiredOption('-o, --output <file>', 'where to write the new blob, or ELF core for a block-chain target (atomically); - for standard output')
      .option('--max <n>', 'max_nr_devices of the new blob (default: the old one, or the device count)', count)
      .option('--out-root-pa <addr>', 'block-chain target: physical address of the root page in the core written (default 0x100000)', physAddress('--out-root-pa'))
      .option('--out-blocks-pa <addr>', 'block-chain target: physical address of the first block (default the page after the root)', physAddress('--out-blocks-pa')),
  ))
    .addHelpText(
      'after',
      examples(
        'kho-abi convert v3.bin --from pci-v1/flat8-max64 --to pci-v2/flat8-max32 -o v4.bin',
        'kho-abi convert v6.bin --from pci-v3/flat8-max32 --to pci/blk16-v2 -o v9.core',
        'kho-abi convert --memory v9.core --root-pa 0x100000 --from pci/blk16-v2 --to pci-v3/flat8-max32 -o v6.bin',
      ),
    )
    .action(async (blob: string | undefined, opts: Opts) => {
      const loaded = await loadBlob(blob, opts.from, opts, openMemory(opts));
      const checked = validate(loaded.bytes, opts.from, loaded.options);
      reportBlobFindings(ctx, loaded.name, checked);
      if (!checked.valid) {
        ctx.err(`kho-abi: ${loaded.name} is not a valid ${getAbi(opts.from).id} blob: not converted`);
        return;
      }
      const image = { ...(opts.outRootPa !== undefined ? { rootAddress: opts.outRootPa } : {}), ...(opts.outBlocksPa !== undefined ? { blocksAddress: opts.outBlocksPa } : {}), ...(opts.pageSize !== undefined ? { pageSize: opts.pageSize } : {}) };
      const r = inFile(loaded.name, () => convert(loaded.bytes, opts.from, opts.to, { ...(opts.max === undefined ? {} : { max: opts.max }), source: loaded.options, image }));
      if (!r.bytes) {
        ctx.err(formatFindingsText(r.findings.map((f) => ({ ...f, file: loaded.name }))));
        ctx.exit(1);
        return;
      }
      const to = getAbi(opts.to);
      const size = to.storage === 'block-chain' ? `${r.bytes.length}-byte ELF core` : `${r.bytes.length} bytes`;
      const said = `${r.devices} device${r.devices === 1 ? '' : 's'} as ${to.id} (${size})`;
      if (opts.output !== '-') {
        await writeAtomic(opts.output, r.bytes);
        ctx.out(`${opts.output}: ${said}`);
        return;
      }
      if (ctx.stdoutIsTTY) throw new UsageError('refusing to write a binary blob to a terminal: use -o FILE or a pipe');
      ctx.outBytes(r.bytes);
      ctx.err(`standard output: ${said}`);
    });
}
