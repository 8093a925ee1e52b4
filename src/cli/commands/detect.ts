import type { Command } from 'commander';
import { detect } from '../../detect/detect.js';
import { detectionJson, formatDetection } from '../../format/detection.js';
import type { CliContext } from '../context.js';
import { UsageError } from '../../errors.js';
import { readPciBlob } from '../../codec/read-pci-blob.js';
import { memoryBlobName, openMemory, pageSizeOf, withMemoryOptions, type MemoryFlags } from '../memory-options.js';
import { examples } from '../help-examples.js';
import { readBlob, withInputOptions, type InputFlags } from '../options.js';

export function register(program: Command, ctx: CliContext): void {
  withMemoryOptions(withInputOptions(
    program
      .command('detect')
      .argument('[blob]', 'blob file, or - for standard input (none with --root-pa)')
      .description('which ABI ids the blob is consistent with, best first, with reasons; exit 1 when none')
      .option('--json', 'print { candidates: [ { abi, reasons } ], notes }'),
  ))
    .addHelpText('after', examples('kho-abi detect blob.bin', 'kho-abi detect blob.bin --json', 'kho-abi detect --memory vmcore.elf --root-pa 0x100000'))
    .action(async (blob: string | undefined, opts: InputFlags & MemoryFlags & { json?: boolean }) => {
      const memory = openMemory(opts);
      const options = { memory, pageSize: pageSizeOf(opts, memory) };
      let d;
      let name = blob ?? '';
      if (opts.rootPa === undefined) {
        if (blob === undefined) throw new UsageError('give a blob file, or --memory IMAGE --root-pa ADDR');
        d = detect(await readBlob(blob, opts), options);
      } else {
        const rootPa = opts.rootPa;
        if (blob !== undefined) throw new UsageError(`--root-pa reads the root from memory: drop the blob argument "${blob}"`);
        if (!memory) throw new UsageError('--root-pa needs --memory IMAGE');
        name = memoryBlobName(opts.memory, rootPa);
        d = detect((abi) => readPciBlob(memory, rootPa, abi), options);
      }
      ctx.out(opts.json ? detectionJson(d) : formatDetection(name, d));
      if (d.candidates.length === 0) ctx.exit(1);
    });
}
