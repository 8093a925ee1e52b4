import type { Command } from 'commander';
import { stringifyJson } from '../../format/json.js';
import { formatHeaderText } from '../../format/header-text.js';
import { headerReport } from '../../header/header-report.js';
import { readHeader } from '../../header/read-header.js';
import type { CliContext } from '../context.js';
import { examples } from '../options.js';

const collect = (v: string, prev: string[]) => [...prev, v];

export function register(program: Command, ctx: CliContext): void {
  program
    .command('header')
    .argument('<file>', 'a KHO ABI header (include/linux/kho/abi/*.h)')
    .description('parse a KHO ABI header: struct layouts, compat/version macros, static_asserts, matching registry ids')
    .option('-I, --include <dir>', 'follow #include <...> lines into this directory (repeatable)', collect, [])
    .option('--json', 'print JSON')
    .addHelpText('after', examples('kho-abi header include/linux/kho/abi/pci.h', 'kho-abi header pci.h --json -I include'))
    .action((file: string, opts: { include: string[]; json?: boolean }) => {
      const parsed = readHeader(file, opts.include);
      const report = headerReport(parsed);
      ctx.out(opts.json ? stringifyJson(report) : formatHeaderText(parsed, report));
      if (report.staticAsserts.some((a) => !a.holds)) ctx.exit(1);
    });
}
