import type { Command } from 'commander';
import { compatMatrix, compatOutcome } from '../../compat/compat-outcome.js';
import { UsageError } from '../../errors.js';
import { compatMatrixJson, formatCompatMatrix, formatCompatOutcome } from '../../format/compat.js';
import { stringifyJson } from '../../format/json.js';
import { selectAbis } from '../../registry.js';
import type { CliContext } from '../context.js';
import { examples } from '../help-examples.js';

export function register(program: Command, ctx: CliContext): void {
  program
    .command('compat')
    .argument('[from]', 'ABI id the old kernel writes')
    .argument('[to]', 'ABI id the new kernel reads')
    .description('predict a kexec hand-over: accepted (exit 0), or devices silently dropped, misparsed (and how), refused, different semantics (exit 1)')
    .option('--matrix [names...]', 'the table over every pair of ids; or of the named ids and the ids that use the named compat strings')
    .option('--json', 'print JSON')
    .addHelpText('after', examples('kho-abi compat pci-v1/flat8-max32 pci-v1/flat8-max64', 'kho-abi compat --matrix', 'kho-abi compat --matrix pci-v2 pci/blk16-v1'))
    .action((from: string | undefined, to: string | undefined, opts: { matrix?: true | string[]; json?: boolean }) => {
      if (opts.matrix) {
        if (from !== undefined) throw new UsageError('--matrix takes the ids after it: kho-abi compat --matrix [ID|COMPAT…]');
        const rows = compatMatrix(selectAbis(opts.matrix === true ? [] : opts.matrix));
        ctx.out(opts.json ? stringifyJson(compatMatrixJson(rows)) : formatCompatMatrix(rows));
        return;
      }
      if (from === undefined || to === undefined) throw new UsageError('compat needs FROM and TO ids, or --matrix');
      const o = compatOutcome(from, to);
      ctx.out(opts.json ? stringifyJson(o) : formatCompatOutcome(o));
      // A hand-over that is not accepted is a finding: CI can assert its supported upgrade paths.
      if (o.outcome !== 'accepted') ctx.exit(1);
    });
}
