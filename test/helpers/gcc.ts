import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** gcc's verdict on one translation unit. */
export interface GccResult {
  readonly ok: boolean;
  readonly stderr: string;
}

/** Compile C source (fed on stdin) with the real gcc, `-std=gnu11 -c -o /dev/null`; throws when gcc is missing. */
export async function compileC(source: string): Promise<GccResult> {
  const args = ['-std=gnu11', '-Wall', '-Wextra', '-Werror', '-x', 'c', '-c', '-o', '/dev/null', '-'];
  const run = execFileAsync('gcc', args);
  run.child.stdin?.end(source);
  try {
    const { stderr } = await run;
    return { ok: true, stderr };
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: string };
    if (err.code === 'ENOENT') throw new Error('gcc not found on PATH: the layout and fixture tests need a real C compiler (apt-get install gcc)');
    if (err.stderr === undefined) throw err;
    return { ok: false, stderr: err.stderr };
  }
}
