import { Option, type Command } from 'commander';
import { UsageError } from '../errors.js';
import type { CompilerName } from '../header/compiler-layout.js';
import { ARCHES, type Arch, type Target } from '../header/target.js';

/** The flags of commands that read headers. */
export interface HeaderFlags {
  include: string[];
  define: string[];
  arch: Arch;
  pageSize: number;
  cc?: CompilerName;
}

const collect = (v: string, prev: string[]) => [...prev, v];

function pageSize(value: string): number {
  const n = Number(value);
  if (![4096, 16384, 65536].includes(n)) throw new UsageError(`--page-size takes 4096, 16384 or 65536, got "${value}"`);
  return n;
}

/** Add `-I DIR`, `-D NAME[=VALUE]`, `--arch` and `--page-size` to a command that reads headers. */
export function withHeaderOptions(cmd: Command, includeHelp: string): Command {
  return cmd
    .option('-I, --include <dir>', includeHelp, collect, [])
    .option('-D, --define <name[=value]>', 'define a macro before reading the header, as cc -D does (repeatable)', collect, [])
    .addOption(new Option('--arch <arch>', 'C type sizes and arch/ARCH/include of this target').choices([...ARCHES]).default('x86_64'))
    .addOption(new Option('--page-size <bytes>', 'PAGE_SIZE (and PAGE_SHIFT) the headers see').argParser(pageSize).default(4096))
    .addOption(new Option('--cc <compiler>', 'also lay the structs out with this compiler (built with BTF, read back); differences are HEADER_LAYOUT_DIFFERS').choices(['gcc', 'clang']));
}

/** `-D` values as a macro table (`NAME` alone is `NAME=1`, as with cc). */
export function defineTable(defs: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of defs) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:=(.*))?$/s.exec(d);
    if (!m) throw new UsageError(`-D ${d}: expected NAME or NAME=VALUE`);
    out[m[1]!] = m[2] ?? '1';
  }
  return out;
}

/** The target of the flags. */
export function targetOf(f: HeaderFlags): Target {
  return { arch: f.arch, pageSize: f.pageSize };
}
