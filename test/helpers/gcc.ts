import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** The compiler's verdict on one translation unit. */
export interface GccResult {
  readonly ok: boolean;
  readonly stderr: string;
}

/**
 * Compile C source (fed on stdin) with the real gcc or clang, `-std=gnu11 -c -o /dev/null` (or
 * linked into the program `out`), warnings as errors unless `warnings` is false; throws when the
 * compiler is missing.
 */
export async function compileC(source: string, cc: 'gcc' | 'clang' = 'gcc', warnings = true, out?: string): Promise<GccResult> {
  const args = ['-std=gnu11', ...(warnings ? ['-Wall', '-Wextra', '-Werror'] : []), '-x', 'c', ...(out ? ['-o', out] : ['-c', '-o', '/dev/null']), '-'];
  const run = execFileAsync(cc, args);
  run.child.stdin?.end(source);
  try {
    const { stderr } = await run;
    return { ok: true, stderr };
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: string };
    if (err.code === 'ENOENT') throw new Error(`${cc} not found on PATH: the layout and fixture tests need the real C compilers (apt-get install gcc clang)`);
    if (err.stderr === undefined) throw err;
    return { ok: false, stderr: err.stderr };
  }
}
