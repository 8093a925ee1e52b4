import type { Command } from 'commander';
import { stringifyJson } from '../../format/json.js';
import { formatHeaderText } from '../../format/header-text.js';
import { headerReport } from '../../header/header-report.js';
import { readHeader } from '../../header/read-header.js';
import type { CliContext } from '../context.js';
import { defineTable, targetOf, withHeaderOptions, type HeaderFlags } from '../header-options.js';
import { examples } from '../options.js';

export function register(program: Command, ctx: CliContext): void {
  const cmd = program
    .command('header')
    .argument('<file>', 'a KHO ABI header (include/linux/kho/abi/*.h)')
    .description('parse a KHO ABI header: struct layouts, compat/version macros, static_asserts, matching registry ids');
  withHeaderOptions(cmd, 'look #include lines up in this directory, e.g. a kernel tree\'s include and include/uapi (repeatable)')
    .option('--json', 'print JSON')
    .addHelpText('after', examples('kho-abi header include/linux/kho/abi/pci.h', 'kho-abi header include/linux/kho/abi/luo.h -I include -I include/uapi --arch arm64 --json'))
    .action((file: string, opts: HeaderFlags & { json?: boolean }) => {
      const parsed = readHeader(file, { includeDirs: opts.include, target: targetOf(opts), defines: defineTable(opts.define) });
      const report = headerReport(parsed);
      ctx.out(opts.json ? stringifyJson(report) : formatHeaderText(parsed, report));
      if (report.staticAsserts.some((a) => !a.holds)) ctx.exit(1);
    });
}
