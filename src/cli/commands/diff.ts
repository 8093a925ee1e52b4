import { Option, type Command } from 'commander';
import { diffDecoded } from '../../blob-diff/diff-blobs.js';
import { blobDiffJson, formatBlobDiff, formatBytesSideBySide } from '../../format/blob-diff.js';
import { formatFindingsText } from '../../format/findings.js';
import { stringifyJson } from '../../format/json.js';
import { findingJson } from '../../format/validation.js';
import { checkAndDecode } from '../../validate/check-decode.js';
import type { CliContext } from '../context.js';
import { UsageError } from '../../errors.js';
import { loadBlob, openMemory, physAddress, withMemoryOptions, type MemoryFlags } from '../memory-options.js';
import { examples } from '../help-examples.js';
import { withInputOptions, type InputFlags } from '../options.js';

interface Opts extends InputFlags, MemoryFlags {
  memoryB: string[];
  rootPaB?: bigint;
  abi: string;
  abiB?: string;
  json?: boolean;
  bytes?: boolean;
}

export function register(program: Command, ctx: CliContext): void {
  withMemoryOptions(withInputOptions(
    program
      .command('diff')
      .argument('[blobs...]', 'blob files A and B (- for standard input); none for a side read with --root-pa / --root-pa-b')
      .description('root fields and devices added, removed, changed (refcount) and moved between two blobs, then the findings of validate on each; exit 1 when they differ or one is invalid')
      .requiredOption('--abi <id>', 'ABI id of A (and of B without --abi-b)')
      .option('--abi-b <id>', 'ABI id of B, when it differs')
      .option('--json', 'print JSON')
      .option('--bytes', 'add both blobs side by side, xxd-like, with the differing bytes marked')
      .addOption(new Option('--memory-b <image>', 'memory image of B (default: the --memory images); repeatable').argParser((v: string, prev: string[]) => [...prev, v]).default([]))
      .addOption(new Option('--root-pa-b <addr>', 'read B\'s struct pci_ser from its memory image at this physical address').argParser(physAddress('--root-pa-b'))),
  ))
    .addHelpText(
      'after',
      examples(
        'kho-abi diff before.bin after.bin --abi pci-v2/flat8-max32',
        'kho-abi diff v3.bin v4.bin --abi pci-v1/flat8-max64 --abi-b pci-v2/flat8-max32 --bytes',
        'kho-abi diff --memory before.core --root-pa 0x100000 --memory-b after.core --root-pa-b 0x100000 --abi pci/blk16-v2',
      ),
    )
    .action(async (blobs: string[], o: Opts) => {
      const queue = [...blobs];
      const flagsB = { ...o, rootPa: o.rootPaB, memory: o.memoryB.length ? o.memoryB : o.memory };
      const A = await loadBlob(o.rootPa === undefined ? queue.shift() : undefined, o.abi, o, openMemory(o));
      const B = await loadBlob(o.rootPaB === undefined ? queue.shift() : undefined, o.abiB ?? o.abi, flagsB, openMemory(flagsB));
      if (queue.length) throw new UsageError(`diff compares two blobs; ${queue.length} argument${queue.length === 1 ? '' : 's'} too many`);
      const [a, b] = [A.name, B.name];
      const ra = checkAndDecode(A.bytes, o.abi, A.options);
      const rb = checkAndDecode(B.bytes, o.abiB ?? o.abi, B.options);
      const findings = [...ra.findings.map((f) => ({ ...f, file: a })), ...rb.findings.map((f) => ({ ...f, file: b }))];
      if (!ra.valid || !rb.valid) ctx.exit(1);
      const [da, db] = [ra.decoded, rb.decoded];
      if (!da || !db) {
        if (o.json) ctx.out(stringifyJson({ a, b, findings: findings.map((f) => ({ file: f.file, ...findingJson(f) })) }));
        else ctx.err(formatFindingsText(findings));
        return;
      }
      if (!o.json && findings.length) ctx.err(formatFindingsText(findings));
      const diff = diffDecoded(da, db);
      const hex = o.bytes ? formatBytesSideBySide(da, db) : undefined;
      ctx.out(o.json ? blobDiffJson(diff, [a, b], hex, findings) : hex ? `${formatBlobDiff(diff, [a, b])}\n\n${hex}` : formatBlobDiff(diff, [a, b]));
      if (!diff.same) ctx.exit(1);
    });
}
