import type { Command } from 'commander';
import { encode } from '../../codec/encode.js';
import { fromJson } from '../../codec/json.js';
import { UsageError } from '../../errors.js';
import { readTextInput } from '../../io/read-input.js';
import { writeAtomic } from '../../io/write-atomic.js';
import { getAbi } from '../../registry.js';
import type { CliContext } from '../context.js';
import { examples } from '../options.js';

function parseJsonText(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${source}: not JSON (${(e as Error).message})`);
  }
}

export function register(program: Command, ctx: CliContext): void {
  program
    .command('encode')
    .argument('<json>', 'decode --json output (file, or - for standard input)')
    .description('encode a blob from decode --json: the inverse of decode, byte for byte')
    .option('--abi <id>', 'ABI id; defaults to the "abi" of the JSON, and must agree with it')
    .option('-o, --output <file>', 'write the blob here (atomically); - for standard output')
    .addHelpText('after', examples('kho-abi decode a.bin --abi pci-v3 --json | kho-abi encode - -o b.bin && cmp a.bin b.bin'))
    .action(async (json: string, opts: { abi?: string; output?: string }) => {
      const input = fromJson(parseJsonText(await readTextInput(json), json === '-' ? 'standard input' : json));
      const id = opts.abi ?? input.abi;
      if (!id) throw new UsageError('no ABI id: pass --abi, or give the JSON an "abi" key');
      if (opts.abi && input.abi && getAbi(opts.abi).id !== input.abi) {
        throw new UsageError(`--abi ${opts.abi} disagrees with the JSON's "abi": "${input.abi}"`);
      }
      const bytes = encode(input, id);
      const out = opts.output ?? '-';
      if (out !== '-') return writeAtomic(out, bytes);
      if (ctx.stdoutIsTTY) throw new UsageError('refusing to write a binary blob to a terminal: use -o FILE or a pipe');
      ctx.outBytes(bytes);
    });
}
