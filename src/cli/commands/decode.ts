import type { Command } from 'commander';
import { decode } from '../../codec/decode.js';
import { toLazyJson } from '../../codec/json.js';
import { formatDecoded } from '../../format/decoded.js';
import { jsonChunks } from '../../format/json.js';
import type { CliContext } from '../context.js';
import { loadBlob, openMemory, withMemoryOptions, type MemoryFlags } from '../memory-options.js';
import { examples, inFile, withInputOptions, type InputFlags } from '../options.js';

export function register(program: Command, ctx: CliContext): void {
  withMemoryOptions(withInputOptions(
    program
      .command('decode')
      .argument('[blob]', 'blob file, or - for standard input (none with --root-pa)')
      .description('decode a pci_ser blob: root fields, in-use devices, and every other non-zero byte')
      .requiredOption('--abi <id>', 'ABI id (kho-abi list)')
      .option('--json', 'print JSON (encode takes it back byte for byte)'),
  ))
    .addHelpText('after', examples('kho-abi decode fixtures/pci-v2__flat8-max32/holes.bin --abi pci-v2/flat8-max32', 'xxd blob.bin | kho-abi decode - --input-format hex --abi pci-v3 --json', 'kho-abi decode --memory vmcore.elf --root-pa 0x100000 --abi pci/blk16-v2'))
    .action(async (blob: string | undefined, opts: InputFlags & MemoryFlags & { abi: string; json?: boolean }) => {
      const memory = openMemory(opts);
      const { bytes, name, options } = await loadBlob(blob, opts.abi, opts, memory);
      const d = inFile(name, () => decode(bytes, opts.abi, options));
      if (opts.json) await ctx.outChunks(jsonChunks(toLazyJson(d)));
      else ctx.out(formatDecoded(d));
    });
}
