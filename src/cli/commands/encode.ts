import type { Command } from 'commander';
import { encodeImage, type ImageInput } from '../../codec/encode-image.js';
import { encode } from '../../codec/encode.js';
import { fromJson } from '../../codec/json.js';
import { JsonTextError, parseJsonObject } from '../../codec/json-text.js';
import { UsageError } from '../../errors.js';
import { DEFAULT_MAX_JSON_INPUT, readJsonInput } from '../../io/read-input.js';
import { writeAtomic } from '../../io/write-atomic.js';
import { getAbi } from '../../registry.js';
import type { CliContext } from '../context.js';
import { physAddress } from '../memory-options.js';
import { examples } from '../help-examples.js';
import { maxSizeOption } from '../options.js';

function byteCount(flag: string) {
  return (value: string): bigint => {
    if (!/^(0x[0-9a-f]+|[1-9]\d*)$/i.test(value.trim())) throw new UsageError(`${flag} takes a byte count like 4096 or 0x1000, got "${value}"`);
    return BigInt(value.trim());
  };
}

/** Devices stay in the text until encode reads them: one device object at a time, whatever the count. */
const LAZY_KEYS = new Set(['devices']);

/** Run a step that reads the JSON text, and name the text in its syntax errors. */
function fromText<T>(source: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof JsonTextError) throw new UsageError(`${source}: ${e.message}`);
    throw e;
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
    .option('--block-stride <bytes>', 'block layouts: bytes between placed blocks (default one page)', byteCount('--block-stride'))
    .option('--page-size <bytes>', 'block layouts: PAGE_SIZE (4096, 16384, 65536; default the JSON\'s chain.pageSize, else 4096)', Number)
    .addOption(maxSizeOption('refuse JSON text larger than this (default: the longest text Node can hold, about 512 MiB)', DEFAULT_MAX_JSON_INPUT))
    .addHelpText('after', examples('kho-abi decode a.bin --abi pci-v3 --json | kho-abi encode - -o b.bin && cmp a.bin b.bin', 'kho-abi decode --memory a.core --root-pa 0x100000 --abi pci/blk16-v1 --json | kho-abi encode - -o b.core'))
    .action(async (json: string, opts: { abi?: string; output?: string; rootPa?: bigint; blocksPa?: bigint; blockStride?: bigint; pageSize?: number; maxSize: number }) => {
      const source = json === '-' ? 'standard input' : json;
      const text = await readJsonInput(json, opts.maxSize);
      const input = fromText(source, () => fromJson(parseJsonObject(text, LAZY_KEYS), opts.abi));
      const id = input.abi;
      if (getAbi(id).storage === 'inline') {
        const flag = (['--root-pa', '--blocks-pa', '--block-stride', '--page-size'] as const).find((f, i) => [opts.rootPa, opts.blocksPa, opts.blockStride, opts.pageSize][i] !== undefined);
        if (flag) throw new UsageError(`${flag} places KHO blocks in a memory image; ${id} keeps its devices inline, in the blob`);
      }
      const image = input as ImageInput;
      const bytes = fromText(source, () => getAbi(id).storage === 'block-chain' && (image.devices != null || image.chain != null)
        ? encodeImage(image, id, { pageSize: opts.pageSize, rootAddress: opts.rootPa, blocksAddress: opts.blocksPa, blockStride: opts.blockStride })
        : encode(input, id));
      const out = opts.output ?? '-';
      if (out !== '-') return writeAtomic(out, bytes);
      if (ctx.stdoutIsTTY) throw new UsageError('refusing to write a binary blob to a terminal: use -o FILE or a pipe');
      ctx.outBytes(bytes);
    });
}
