import type { Command } from 'commander';
import { toLazyJson } from '../../codec/json.js';
import { decodedLines } from '../../format/decoded.js';
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
      .command('decode')
      .argument('[blob]', 'blob file, or - for standard input (none with --root-pa)')
      .description('decode a pci_ser blob: root fields, in-use devices, every other non-zero byte, then the findings of validate; exit 1 on an error finding')
      .requiredOption('--abi <id>', 'ABI id (kho-abi list)')
      .option('--json', 'print JSON (encode takes it back byte for byte), with a findings array'),
  ))
    .addHelpText('after', examples('kho-abi decode blob.bin --abi pci-v2/flat8-max32', 'xxd blob.bin | kho-abi decode - --input-format hex --abi pci-v3 --json', 'kho-abi decode --memory vmcore.elf --root-pa 0x100000 --abi pci/blk16-v2'))
    .action(async (blob: string | undefined, opts: InputFlags & MemoryFlags & { abi: string; json?: boolean }) => {
      const abi = getAbi(opts.abi);
      const { bytes, name, options } = await loadBlob(blob, abi.id, opts, openMemory(opts));
      const r = checkAndDecode(bytes, abi.id, options);
      const d = r.decoded;
      const refused = options.memory !== undefined && !d?.chain;
      if (opts.json) {
        const head = d ? toLazyJson(d, refused) : { abi: abi.id, compatible: abi.compatible, size: bytes.length };
        await ctx.outChunks(jsonChunks({ ...head, findings: r.findings.map(findingJson) }));
        if (!r.valid) ctx.exit(1);
        return;
      }
      if (d) await ctx.outLines(decodedLines(d, refused));
      reportBlobFindings(ctx, name, r);
    });
}
