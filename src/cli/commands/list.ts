import type { Command } from 'commander';
import { abiListJson, formatAbiList } from '../../format/list.js';
import { stringifyJson } from '../../format/json.js';
import { abis, selectAbis } from '../../registry.js';
import type { CliContext } from '../context.js';
import { examples } from '../help-examples.js';

export function register(program: Command, ctx: CliContext): void {
  program
    .command('list')
    .argument('[names...]', 'only these ids, or the ids that use these compat strings (default: every id)')
    .description('every known ABI id: compat string, version, sizes, provenance, shared compat strings')
    .option('--json', 'print JSON')
    .addHelpText('after', examples('kho-abi list', 'kho-abi list pci-v2 pci/blk16-v1', 'kho-abi list --json'))
    .action((names: string[], opts: { json?: boolean }) => {
      const chosen = selectAbis(names);
      ctx.out(opts.json ? stringifyJson(abiListJson(chosen)) : formatAbiList(chosen, abis));
    });
}
