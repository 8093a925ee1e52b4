import type { Command } from 'commander';
import { cAsserts } from '../../gen/c-asserts.js';
import type { CliContext } from '../context.js';
import { examples } from '../help-examples.js';

export function register(program: Command, ctx: CliContext): void {
  const gen = program
    .command('gen')
    .description('generate code from the registry: gen c-asserts --abi ID')
    .addHelpText('after', examples('kho-abi gen c-asserts --abi pci/blk16-v2', 'kho-abi gen c-asserts --abi kho-block'));
  gen
    .command('c-asserts')
    .description('static_assert(sizeof/offsetof …) lines for every struct and member of an id, to paste into a kernel header')
    .requiredOption('--abi <id>', 'ABI id (kho-abi list), or kho-block / luo-flb')
    .addHelpText('after', examples('kho-abi gen c-asserts --abi pci/blk16-v2 >> include/linux/kho/abi/pci.h'))
    .action((opts: { abi: string }) => ctx.out(cAsserts(opts.abi).trimEnd()));
}
