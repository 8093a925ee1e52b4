import type { Command } from 'commander';
import { stringifyJson } from '../../format/json.js';
import { formatHeaderText, formatLayoutDiffers } from '../../format/header-text.js';
import { headerReport } from '../../header/header-report.js';
import { compilerLayouts, layoutDifferences } from '../../header/compiler-layout.js';
import { readHeader, treeRoot } from '../../header/read-header.js';
import type { CliContext } from '../context.js';
import { defineTable, targetOf, withHeaderOptions, type HeaderFlags } from '../header-options.js';
import { examples } from '../help-examples.js';

export function register(program: Command, ctx: CliContext): void {
  const cmd = program
    .command('header')
    .argument('<file>', 'a KHO ABI header (include/linux/kho/abi/*.h)')
    .description('parse a KHO ABI header: struct layouts, compat/version macros, static_asserts, matching registry ids');
  withHeaderOptions(cmd, 'look #include lines up in this directory, e.g. a kernel tree\'s include and include/uapi (repeatable)')
    .option('--json', 'print JSON')
    .addHelpText('after', examples('kho-abi header include/linux/kho/abi/pci.h', 'kho-abi header include/linux/kho/abi/luo.h -I include -I include/uapi --arch arm64 --json'))
    .action((file: string, opts: HeaderFlags & { json?: boolean }) => {
      const read = { includeDirs: opts.include, target: targetOf(opts), defines: defineTable(opts.define) };
      const parsed = readHeader(file, read);
      const root = treeRoot(file);
      const differs = opts.cc
        ? layoutDifferences(parsed.structs.map((s) => s.layout), compilerLayouts(parsed, { cc: opts.cc, file, ...(root ? { treeRoot: root } : {}), ...read }), opts.cc)
        : undefined;
      const report = { ...headerReport(parsed), ...(differs ? { layoutDiffers: differs } : {}) };
      ctx.out(opts.json ? stringifyJson(report) : formatHeaderText(parsed, report));
      if (differs && !opts.json) ctx.out(formatLayoutDiffers(parsed, differs, opts.cc!));
      if (report.staticAsserts.some((a) => !a.holds) || differs?.length) ctx.exit(1);
    });
}
