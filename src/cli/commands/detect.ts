import type { Command } from 'commander';
import { detect } from '../../detect/detect.js';
import { detectionJson, formatDetection } from '../../format/detection.js';
import type { CliContext } from '../context.js';
import { examples, readBlob, withInputOptions, type InputFlags } from '../options.js';

export function register(program: Command, ctx: CliContext): void {
  withInputOptions(
    program
      .command('detect')
      .argument('<blob>', 'blob file, or - for standard input')
      .description('which ABI ids the blob is consistent with, best first, with reasons; exit 1 when none')
      .option('--json', 'print { candidates: [ { abi, reasons } ], notes }'),
  )
    .addHelpText('after', examples('kho-abi detect fixtures/pci-v2__flat8-max32/holes.bin', 'kho-abi detect blob.bin --json'))
    .action(async (blob: string, opts: InputFlags & { json?: boolean }) => {
      const d = detect(await readBlob(blob, opts));
      ctx.out(opts.json ? detectionJson(d) : formatDetection(blob, d));
      if (d.candidates.length === 0) ctx.exit(1);
    });
}
