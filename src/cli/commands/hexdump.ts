import type { Command } from 'commander';
import { decode } from '../../codec/decode.js';
import { blockRows } from '../../format/block-hexdump.js';
import { annotatedRows, formatHexdump, hexdumpJson } from '../../format/hexdump.js';
import { stringifyJson } from '../../format/json.js';
import type { CliContext } from '../context.js';
import { loadBlob, openMemory, withMemoryOptions, type MemoryFlags } from '../memory-options.js';
import { examples, inFile, withInputOptions, type InputFlags } from '../options.js';

export function register(program: Command, ctx: CliContext): void {
  withMemoryOptions(withInputOptions(
    program
      .command('hexdump')
      .argument('[blob]', 'blob file, or - for standard input (none with --root-pa)')
      .description('xxd-like dump with every field named at its offset; with --memory, every KHO block too')
      .requiredOption('--abi <id>', 'ABI id (kho-abi list)')
      .option('--json', 'print the rows as JSON'),
  ))
    .addHelpText('after', examples('kho-abi hexdump fixtures/pci-v2__flat8-max32/holes.bin --abi pci-v2/flat8-max32', 'kho-abi hexdump --memory vmcore.elf --root-pa 0x100000 --abi pci/blk16-v1'))
    .action(async (blob: string | undefined, opts: InputFlags & MemoryFlags & { abi: string; json?: boolean }) => {
      const { bytes, name, options } = await loadBlob(blob, opts.abi, opts, openMemory(opts));
      const d = inFile(name, () => decode(bytes, opts.abi, options));
      const rows = annotatedRows(d);
      const blocks = d.chain && d.devices ? blockRows(d.chain, d.devices, d.layout) : [];
      if (opts.json) {
        const dumps = blocks.map((b) => ({ block: b.index, address: `0x${b.address.toString(16)}`, ...hexdumpJson(b.bytes, b.rows) }));
        ctx.out(stringifyJson({ ...hexdumpJson(bytes, rows), ...(d.chain ? { blocks: dumps } : {}) }));
        return;
      }
      const out = [formatHexdump(bytes, rows)];
      for (const b of blocks) out.push(`\nblock ${b.index} @ 0x${b.address.toString(16)} (offsets within the block):`, formatHexdump(b.bytes, b.rows));
      ctx.out(out.join('\n'));
    });
}
