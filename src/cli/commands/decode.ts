import type { Command } from 'commander';
import { decode } from '../../codec/decode.js';
import { toJson } from '../../codec/json.js';
import { formatDecoded } from '../../format/decoded.js';
import { stringifyJson } from '../../format/json.js';
import type { CliContext } from '../context.js';
import { examples, inFile, readBlob, withInputOptions, type InputFlags } from '../options.js';

export function register(program: Command, ctx: CliContext): void {
  withInputOptions(
    program
      .command('decode')
      .argument('<blob>', 'blob file, or - for standard input')
      .description('decode a pci_ser blob: root fields, in-use devices, and every other non-zero byte')
      .requiredOption('--abi <id>', 'ABI id (kho-abi list)')
      .option('--json', 'print JSON (encode takes it back byte for byte)'),
  )
    .addHelpText('after', examples('kho-abi decode fixtures/pci-v2__flat8-max32/holes.bin --abi pci-v2/flat8-max32', 'xxd blob.bin | kho-abi decode - --input-format hex --abi pci-v3 --json'))
    .action(async (blob: string, opts: InputFlags & { abi: string; json?: boolean }) => {
      const bytes = await readBlob(blob, opts);
      const d = inFile(blob, () => decode(bytes, opts.abi));
      ctx.out(opts.json ? stringifyJson(toJson(d)) : formatDecoded(d));
    });
}
