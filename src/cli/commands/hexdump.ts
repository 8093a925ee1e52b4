import type { Command } from 'commander';
import { blockRows } from '../../format/block-hexdump.js';
import { annotatedRows, hexdumpJson, hexdumpLines, truncatedRows } from '../../format/hexdump.js';
import { jsonChunks } from '../../format/json.js';
import { findingJson } from '../../format/validation.js';
import { getAbi } from '../../registry.js';
import { checkAndDecode } from '../../validate/check-decode.js';
import { reportBlobFindings } from '../blob-findings.js';
import type { CliContext } from '../context.js';
import { loadBlob, openMemory, withMemoryOptions, type MemoryFlags } from '../memory-options.js';
import { examples } from '../help-examples.js';
import { withInputOptions, type InputFlags } from '../options.js';

export function register(program: Command, ctx: CliContext): void {
  withMemoryOptions(withInputOptions(
    program
      .command('hexdump')
      .argument('[blob]', 'blob file, or - for standard input (none with --root-pa)')
      .description('xxd-like dump with every field named at its offset (every byte, even of a truncated blob), then the findings of validate; with --memory, every KHO block too')
      .requiredOption('--abi <id>', 'ABI id (kho-abi list)')
      .option('--json', 'print the rows as JSON, with a findings array'),
  ))
    .addHelpText('after', examples('kho-abi hexdump blob.bin --abi pci-v2/flat8-max32', 'kho-abi hexdump --memory vmcore.elf --root-pa 0x100000 --abi pci/blk16-v1'))
    .action(async (blob: string | undefined, opts: InputFlags & MemoryFlags & { abi: string; json?: boolean }) => {
      const abi = getAbi(opts.abi);
      const { bytes, name, options } = await loadBlob(blob, abi.id, opts, openMemory(opts));
      const r = checkAndDecode(bytes, abi.id, options);
      const d = r.decoded;
      const rows = d ? annotatedRows(d) : truncatedRows(bytes, abi);
      const blocks = d?.chain && d.devices ? blockRows(d.chain, d.devices, d.layout) : undefined;
      if (opts.json) {
        const dumps = blocks && mapIter(blocks, (b) => ({ block: b.index, address: `0x${b.address.toString(16)}`, ...hexdumpJson(b.bytes, b.rows) }));
        await ctx.outChunks(jsonChunks({ ...hexdumpJson(bytes, rows), ...(dumps ? { blocks: dumps } : {}), findings: r.findings.map(findingJson) }));
        if (!r.valid) ctx.exit(1);
        return;
      }
      await ctx.outLines(allLines(bytes, rows, blocks));
      reportBlobFindings(ctx, name, r);
    });
}

function* allLines(bytes: Uint8Array, rows: ReturnType<typeof annotatedRows>, blocks: ReturnType<typeof blockRows> | undefined): Generator<string> {
  yield* hexdumpLines(bytes, rows);
  for (const b of blocks ?? []) {
    yield '';
    yield `block ${b.index} @ 0x${b.address.toString(16)} (offsets within the block):`;
    yield* hexdumpLines(b.bytes, b.rows);
  }
}

function* mapIter<T, U>(items: Iterable<T>, fn: (x: T) => U): Generator<U> {
  for (const x of items) yield fn(x);
}
