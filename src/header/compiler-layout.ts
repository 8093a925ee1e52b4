import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { btfStructs } from '../btf/btf-structs.js';
import { readBtf } from '../btf/read-btf.js';
import { UsageError } from '../errors.js';
import type { FieldLayout, StructLayout } from '../layout/engine.js';
import { cPrelude, targetFlags } from './c-prelude.js';
import { PRELUDE_HEADERS } from './prelude.js';
import { archDir, type Target } from './target.js';
import type { ParsedHeader } from './types.js';

/** The compilers `--cc` runs. */
export type CompilerName = 'gcc' | 'clang';

/** What the compiler needs: the header on disk, where its includes are, the target and -D. */
export interface CompilerInput {
  readonly cc: CompilerName;
  /** The header file. */
  readonly file: string;
  /** The kernel tree the header sits in, when it does. */
  readonly treeRoot?: string;
  readonly includeDirs?: readonly string[];
  readonly target: Target;
  readonly defines?: Readonly<Record<string, string>>;
}

/** A place where the built-in reader and the compiler disagree. */
export interface LayoutDifference {
  readonly struct: string;
  readonly field?: string;
  readonly message: string;
}

function run(cmd: string, args: readonly string[], input?: string): void {
  try {
    execFileSync(cmd, args, { input: input ?? '', stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: Buffer };
    if (err.code === 'ENOENT') throw new UsageError(`--cc: ${cmd} not found on PATH`);
    const first = (err.stderr?.toString('utf8') ?? err.message).split('\n').find((l) => /error/.test(l)) ?? err.message;
    throw new UsageError(`--cc: ${cmd} failed: ${first.trim()}`);
  }
}

/**
 * Lay the header's structs out with a real compiler: one generated translation unit (the
 * prelude as C, the header, a pointer to each struct so its type is emitted), built with
 * BTF (`gcc -gbtf`; clang `-g` then `pahole -J`), read back by the BTF reader. Runs the
 * tools with execFile; nothing of the header is executed.
 */
export function compilerLayouts(h: ParsedHeader, input: CompilerInput): Map<string, StructLayout> {
  const dir = mkdtempSync(join(tmpdir(), 'kho-abi-cc-'));
  try {
    const stubs = join(dir, 'stubs');
    for (const name of PRELUDE_HEADERS) {
      mkdirSync(dirname(join(stubs, name)), { recursive: true });
      writeFileSync(join(stubs, name), '');
    }
    const inc: string[] = ['-I', stubs];
    if (input.treeRoot) {
      const a = `arch/${archDir(input.target.arch)}`;
      for (const d of ['include', 'include/uapi', `${a}/include`, `${a}/include/uapi`]) inc.push('-I', resolve(input.treeRoot, d));
    }
    for (const d of input.includeDirs ?? []) inc.push('-I', resolve(d));
    const defs = Object.entries(input.defines ?? {}).map(([k, v]) => `-D${k}=${v}`);
    const uses = h.structs.map((s, i) => `${s.union ? 'union' : 'struct'} ${s.name} *__kho_abi_use_${i};`).join('\n');
    const source = `${cPrelude(input.target)}\n#include "${resolve(input.file)}"\n${uses}\n`;
    const obj = join(dir, 'layouts.o');
    const common = [...targetFlags(input.target, input.cc), '-std=gnu11', '-nostdinc', '-fno-eliminate-unused-debug-types', ...defs, ...inc, '-c', '-o', obj, '-x', 'c', '-'];
    if (input.cc === 'gcc') {
      if (input.target.arch === 'arm64') throw new UsageError('--cc gcc: this gcc builds for x86 only; use --cc clang for --arch arm64');
      run('gcc', ['-gbtf', ...common], source);
    } else {
      run('clang', ['-g', ...common], source);
      run('pahole', ['-J', obj]);
    }
    return btfStructs(readBtf(readFileSync(obj)), h.structs.map((s) => `${s.union ? 'union' : 'struct'} ${s.name}`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Members of anonymous members counted where C sees them, keyed by name. */
function members(s: StructLayout, base = 0): Map<string, FieldLayout> {
  const out = new Map<string, FieldLayout>();
  for (const f of s.fields) {
    if (f.name === '' && f.struct) {
      for (const [k, g] of members(f.struct, base + f.offset)) out.set(k, g);
    } else out.set(f.name, { ...f, offset: base + f.offset, ...(f.bitOffset !== undefined ? { bitOffset: f.bitOffset + base * 8 } : {}) });
  }
  return out;
}

const where = (f: FieldLayout) => (f.bitSize !== undefined ? `bits ${f.bitOffset}..${f.bitOffset! + f.bitSize - 1}` : `offset ${f.offset}, size ${f.size}`);

/** Every byte-level difference between the built-in layouts and the compiler's. */
export function layoutDifferences(ours: readonly StructLayout[], theirs: ReadonlyMap<string, StructLayout>, cc: string): LayoutDifference[] {
  const out: LayoutDifference[] = [];
  for (const s of ours) {
    const t = theirs.get(s.name);
    if (!t) {
      out.push({ struct: s.name, message: `${cc} has no ${s.union ? 'union' : 'struct'} ${s.name}` });
      continue;
    }
    if (s.size !== t.size) out.push({ struct: s.name, message: `size ${s.size} here, ${t.size} by ${cc}` });
    const mine = members(s);
    const cc2 = members(t);
    for (const [name, f] of mine) {
      const g = cc2.get(name);
      if (!g) out.push({ struct: s.name, field: name, message: `${cc} has no member ${name}` });
      else if (f.bitSize !== undefined || g.bitSize !== undefined ? f.bitOffset !== g.bitOffset || f.bitSize !== g.bitSize : f.offset !== g.offset || f.size !== g.size) {
        out.push({ struct: s.name, field: name, message: `${where(f)} here, ${where(g)} by ${cc}` });
      }
    }
    for (const name of cc2.keys()) if (!mine.has(name)) out.push({ struct: s.name, field: name, message: `member ${name} only in ${cc}'s layout` });
  }
  return out;
}
