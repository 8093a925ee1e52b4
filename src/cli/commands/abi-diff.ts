import { Option, type Command } from 'commander';
import { abiDiff, type AbiDiffOptions } from '../../abi-diff/abi-diff.js';
import { abiDiffRange } from '../../abi-diff/range.js';
import { loadSnapshot } from '../../abi-diff/sources.js';
import { parseSuppressions } from '../../abi-diff/suppressions.js';
import { UsageError } from '../../errors.js';
import { formatAbiDiff, type AbiDiffFormat, type AbiDiffReport } from '../../format/abi-diff.js';
import { readTextFile } from '../../header/read-header.js';
import type { CliContext } from '../context.js';
import { examples } from '../options.js';

const collect = (v: string, prev: string[]) => [...prev, v];

interface Opts {
  repo?: string;
  base?: string;
  head?: string;
  allow: string[];
  suppressions?: string;
  include: string[];
  format: AbiDiffFormat;
  json?: boolean;
}

function report(old: string | undefined, next: string | undefined, o: Opts, diffOpts: AbiDiffOptions): AbiDiffReport {
  if (o.base !== undefined) {
    if (!o.repo) throw new UsageError('--base needs --repo DIR');
    if (old !== undefined) throw new UsageError('give either OLD NEW, or --repo DIR --base REF [--head REF], not both');
    const r = abiDiffRange(o.repo, o.base, o.head, { ...diffOpts, includeDirs: o.include });
    return { diffs: r.diffs, checked: r.headers.length, added: r.added };
  }
  if (old === undefined || next === undefined) throw new UsageError('abi-diff needs OLD and NEW, or --repo DIR --base REF');
  if (o.head !== undefined) throw new UsageError('--head needs --base');
  const src = { ...(o.repo ? { repo: o.repo } : {}), includeDirs: o.include };
  return { diffs: [abiDiff(loadSnapshot(old, src), loadSnapshot(next, src), diffOpts)] };
}

export function register(program: Command, ctx: CliContext): void {
  program
    .command('abi-diff')
    .argument('[old]', 'an ABI id, a header file, REF:PATH (with --repo), or btf:FILE (a built kernel, module or object)')
    .argument('[new]', 'an ABI id, a header file, REF:PATH (with --repo), or btf:FILE (a built kernel, module or object)')
    .description('diff two versions of a KHO ABI header; exit 1 when a layout or kernel-doc changed without a compat bump')
    .option('--repo <dir>', 'a git work tree: for REF:PATH sides, or the range mode with --base')
    .option('--base <ref>', 'range mode: diff every include/linux/kho/abi/*.h from this ref…')
    .option('--head <ref>', '…to this ref (default HEAD)')
    .option('--allow <rule>', 'report this rule as info, not as a failure (repeatable)', collect, [])
    .option('--suppressions <file>', 'suppression file: lines "RULE [STRUCT[.MEMBER]]  # reason"')
    .option('-I, --include <dir>', 'follow #include lines into this directory (repeatable; relative to the repository with --repo)', collect, [])
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'github', 'sarif']).default('text'))
    .option('--json', 'same as --format json')
    .addHelpText(
      'after',
      examples(
        'kho-abi abi-diff pci-v2/flat8-max32 pci-v2/flat8-max32-hier',
        'kho-abi abi-diff old/pci.h include/linux/kho/abi/pci.h --format github',
        'kho-abi abi-diff --repo . v7.0:include/linux/kho/abi/pci.h HEAD:include/linux/kho/abi/pci.h',
        'kho-abi abi-diff --repo . --base origin/master --format sarif > abi.sarif',
        'kho-abi abi-diff btf:old/vmlinux btf:new/vmlinux',
      ),
    )
    .action((old: string | undefined, next: string | undefined, o: Opts) => {
      const suppressions = o.suppressions ? parseSuppressions(readTextFile(o.suppressions), o.suppressions) : [];
      const r = report(old, next, o, { allow: o.allow, suppressions });
      ctx.out(formatAbiDiff(r, o.json ? 'json' : o.format, { name: 'kho-abi', version: program.version() ?? '0.0.0' }));
      if (r.diffs.some((d) => d.findings.some((f) => f.severity === 'error'))) ctx.exit(1);
    });
}
