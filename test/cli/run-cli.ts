import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built command, as a user runs it (`npm run build` first; `npm test` does). */
export const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  stdoutBytes: Buffer;
}

/** Run `kho-abi ARGS…` with optional standard input; never throws on a non-zero exit. */
export function runCli(args: readonly string[], input?: string | Uint8Array): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [CLI, ...args], { encoding: 'buffer', maxBuffer: 256 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 2) : 0;
      resolve({ code, stdout: stdout.toString('utf8'), stderr: stderr.toString('utf8'), stdoutBytes: stdout });
    });
    child.stdin!.end(input ?? '');
  });
}
