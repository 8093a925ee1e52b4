import { statSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { abiDiff, type AbiDiffOptions } from '../../abi-diff/abi-diff.js';
import { abiDiffRange } from '../../abi-diff/range.js';
import { diffTrees, dirTree, headerGlobs } from '../../abi-diff/tree.js';
import { loadSnapshot } from '../../abi-diff/sources.js';
import { parseSuppressions } from '../../abi-diff/suppressions.js';
import { UsageError } from '../../errors.js';
import { formatAbiDiff, type AbiDiffFormat, type AbiDiffReport } from '../../format/abi-diff.js';
import { readTextFile } from '../../header/read-header.js';
import type { CliContext } from '../context.js';
import { defineTable, targetOf, withHeaderOptions, type HeaderFlags } from '../header-options.js';
import { examples } from '../help-examples.js';

const collect = (v: string, prev: string[]) => [...prev, v];

interface Opts extends HeaderFlags {
  repo?: string;
  base?: string;
  head?: string;
  allow: string[];
  suppressions?: string;
  path: string[];
  format: AbiDiffFormat;
  json?: boolean;
}

const isDir = (p: string) => {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
};

function report(old: string | undefined, next: string | undefined, o: Opts, diffOpts: AbiDiffOptions): AbiDiffReport {
  const read = { includeDirs: o.include, target: targetOf(o), defines: defineTable(o.define), ...(o.cc ? { cc: o.cc } : {}) };
  if (o.base !== undefined) {
    if (!o.repo) throw new UsageError('--base needs --repo DIR');
    if (old !== undefined) throw new UsageError('give either OLD NEW, or --repo DIR --base REF [--head REF], not both');
    const r = abiDiffRange(o.repo, o.base, o.head, { ...diffOpts, ...read, paths: o.path });
    return { diffs: r.diffs, checked: r.headers.length, added: r.added };
  }
  if (old === undefined || next === undefined) throw new UsageError('abi-diff needs OLD and NEW, or --repo DIR --base REF');
  if (o.head !== undefined) throw new UsageError('--head needs --base');
  if (isDir(old) || isDir(next)) {
    if (!isDir(old) || !isDir(next)) throw new UsageError('directory mode needs two directories (kernel trees): OLD_DIR NEW_DIR');
    const r = diffTrees(dirTree(old), dirTree(next), headerGlobs(o.path), { ...diffOpts, ...read });
    if (r.headers.length === 0 && r.diffs.length === 0) throw new UsageError(`no header matches ${headerGlobs(o.path).join(', ')} under ${next} (use --path GLOB)`);
    return { diffs: r.diffs, checked: r.headers.length, added: r.added };
  }
  if (o.path.length) throw new UsageError('--path needs two directories or --base');
  const src = { ...(o.repo ? { repo: o.repo } : {}), ...read };
  return { diffs: [abiDiff(loadSnapshot(old, src), loadSnapshot(next, src), diffOpts)] };
}

export function register(program: Command, ctx: CliContext): void {
  const cmd = program
    .command('abi-diff')
    .argument('[old]', 'an ABI id, a header file, REF:PATH (with --repo), a kernel tree directory, or btf:FILE (a built kernel, module or object)')
    .argument('[new]', 'an ABI id, a header file, REF:PATH (with --repo), a kernel tree directory, or btf:FILE (a built kernel, module or object)')
    .description('diff two versions of the KHO ABI headers; exit 1 when a layout or kernel-doc changed without a compat bump')
    .option('--repo <dir>', 'a git work tree: for REF:PATH sides, or the range mode with --base')
    .option('--base <ref>', 'range mode: diff every include/linux/kho/abi/*.h from this ref…')
    .option('--head <ref>', '…to this ref (default HEAD)')
    .option('--path <glob>', 'range and directory mode: the headers to diff (default include/linux/kho/abi/*.h; repeatable)', collect, [])
    .option('--allow <rule>', 'report this rule as info, not as a failure (repeatable)', collect, [])
    .option('--suppressions <file>', 'suppression file: lines "RULE [STRUCT[.MEMBER]]  # reason"')
  withHeaderOptions(cmd, 'also look #include lines up in this directory (repeatable; relative to the tree in range and directory mode)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'github', 'sarif']).default('text'))
    .addOption(new Option('--json', 'same as --format json').conflicts('format'))
    .addHelpText(
      'after',
      examples(
        'kho-abi abi-diff pci-v2/flat8-max32 pci-v2/flat8-max32-hier',
        'kho-abi abi-diff old/pci.h include/linux/kho/abi/pci.h --format github',
        'kho-abi abi-diff --repo . v7.0:include/linux/kho/abi/pci.h HEAD:include/linux/kho/abi/pci.h',
        'kho-abi abi-diff --repo . --base origin/master --format sarif > abi.sarif',
        'kho-abi abi-diff ../linux-7.0 . --path "include/linux/kho/abi/*.h"',
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
