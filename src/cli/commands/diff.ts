import type { Command } from 'commander';
import { diffDecoded } from '../../blob-diff/diff-blobs.js';
import { decode } from '../../codec/decode.js';
import { blobDiffJson, formatBlobDiff, formatBytesSideBySide } from '../../format/blob-diff.js';
import type { CliContext } from '../context.js';
import { examples, inFile, readBlob, withInputOptions, type InputFlags } from '../options.js';

interface Opts extends InputFlags {
  abi: string;
  abiB?: string;
  json?: boolean;
  bytes?: boolean;
}

export function register(program: Command, ctx: CliContext): void {
  withInputOptions(
    program
      .command('diff')
      .argument('<a>', 'first blob file (- for standard input)')
      .argument('<b>', 'second blob file')
      .description('devices added, removed, changed (refcount) and moved between two blobs; exit 1 when the device sets differ')
      .requiredOption('--abi <id>', 'ABI id of A (and of B without --abi-b)')
      .option('--abi-b <id>', 'ABI id of B, when it differs')
      .option('--json', 'print JSON')
      .option('--bytes', 'add both blobs side by side, xxd-like, with the differing bytes marked'),
  )
    .addHelpText(
      'after',
      examples(
        'kho-abi diff before.bin after.bin --abi pci-v2/flat8-max32',
        'kho-abi diff v3.bin v4.bin --abi pci-v1/flat8-max64 --abi-b pci-v2/flat8-max32 --bytes',
      ),
    )
    .action(async (a: string, b: string, o: Opts) => {
      const bytesA = await readBlob(a, o);
      const bytesB = await readBlob(b, o);
      const da = inFile(a, () => decode(bytesA, o.abi));
      const db = inFile(b, () => decode(bytesB, o.abiB ?? o.abi));
      const diff = diffDecoded(da, db);
      const hex = o.bytes ? formatBytesSideBySide(da, db) : undefined;
      ctx.out(o.json ? blobDiffJson(diff, [a, b], hex) : hex ? `${formatBlobDiff(diff, [a, b])}\n\n${hex}` : formatBlobDiff(diff, [a, b]));
      if (!diff.same) ctx.exit(1);
    });
}
