import type { Command } from 'commander';
import { abiListJson, formatAbiList } from '../../format/list.js';
import { stringifyJson } from '../../format/json.js';
import { abis } from '../../registry.js';
import type { CliContext } from '../context.js';
import { examples } from '../options.js';

export function register(program: Command, ctx: CliContext): void {
  program
    .command('list')
    .description('every known ABI id: compat string, version, sizes, provenance, shared compat strings')
    .option('--json', 'print JSON')
    .addHelpText('after', examples('kho-abi list', 'kho-abi list --json'))
    .action((opts: { json?: boolean }) => {
      ctx.out(opts.json ? stringifyJson(abiListJson(abis)) : formatAbiList(abis));
    });
}
