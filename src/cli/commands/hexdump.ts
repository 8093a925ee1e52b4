import type { Command } from 'commander';
import { decode } from '../../codec/decode.js';
import { annotatedRows, formatHexdump, hexdumpJson } from '../../format/hexdump.js';
import { stringifyJson } from '../../format/json.js';
import type { CliContext } from '../context.js';
import { examples, inFile, readBlob, withInputOptions, type InputFlags } from '../options.js';

export function register(program: Command, ctx: CliContext): void {
  withInputOptions(
    program
      .command('hexdump')
      .argument('<blob>', 'blob file, or - for standard input')
      .description('xxd-like dump with every field named at its offset')
      .requiredOption('--abi <id>', 'ABI id (kho-abi list)')
      .option('--json', 'print the rows as JSON'),
  )
    .addHelpText('after', examples('kho-abi hexdump fixtures/pci-v2__flat8-max32/holes.bin --abi pci-v2/flat8-max32'))
    .action(async (blob: string, opts: InputFlags & { abi: string; json?: boolean }) => {
      const bytes = await readBlob(blob, opts);
      const rows = annotatedRows(inFile(blob, () => decode(bytes, opts.abi)));
      ctx.out(opts.json ? stringifyJson(hexdumpJson(bytes, rows)) : formatHexdump(bytes, rows));
    });
}
