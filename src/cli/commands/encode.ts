import type { Command } from 'commander';
import { encodeImage, type ImageInput } from '../../codec/encode-image.js';
import { encode } from '../../codec/encode.js';
import { fromJson } from '../../codec/json.js';
import { UsageError } from '../../errors.js';
import { readTextInput } from '../../io/read-input.js';
import { writeAtomic } from '../../io/write-atomic.js';
import { getAbi } from '../../registry.js';
import type { CliContext } from '../context.js';
import { physAddress } from '../memory-options.js';
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
    .option('--root-pa <addr>', 'block layouts: physical address of the root page in the ELF core (default the JSON\'s rootAddress, else 0x100000)', physAddress('--root-pa'))
    .option('--blocks-pa <addr>', 'block layouts: place block k at ADDR + k * stride and point pci_ser.devices at it', physAddress('--blocks-pa'))
    .option('--block-stride <bytes>', 'block layouts: bytes between placed blocks (default one page)', physAddress('--block-stride'))
    .option('--page-size <bytes>', 'block layouts: PAGE_SIZE (4096, 16384, 65536; default the JSON\'s chain.pageSize, else 4096)', Number)
    .addHelpText('after', examples('kho-abi decode a.bin --abi pci-v3 --json | kho-abi encode - -o b.bin && cmp a.bin b.bin', 'kho-abi decode --memory a.core --root-pa 0x100000 --abi pci/blk16-v1 --json | kho-abi encode - -o b.core'))
    .action(async (json: string, opts: { abi?: string; output?: string; rootPa?: bigint; blocksPa?: bigint; blockStride?: bigint; pageSize?: number }) => {
      const input = fromJson(parseJsonText(await readTextInput(json), json === '-' ? 'standard input' : json), opts.abi);
      const id = input.abi;
      const image = input as ImageInput;
      const bytes = getAbi(id).storage === 'block-chain' && (image.devices != null || image.chain != null)
        ? encodeImage(image, id, { pageSize: opts.pageSize, rootAddress: opts.rootPa, blocksAddress: opts.blocksPa, blockStride: opts.blockStride })
        : encode(input, id);
      const out = opts.output ?? '-';
      if (out !== '-') return writeAtomic(out, bytes);
      if (ctx.stdoutIsTTY) throw new UsageError('refusing to write a binary blob to a terminal: use -o FILE or a pipe');
      ctx.outBytes(bytes);
    });
}
