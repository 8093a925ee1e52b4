import { execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

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

/** What `kho-abi ARGS | head -N` saw: the first lines, the command's exit code and stderr, and how long it ran. */
interface HeadResult {
  lines: string[];
  code: number | null;
  stderr: string;
  ms: number;
}

/** Run `kho-abi ARGS…` and close its standard output after `n` lines, as `| head -n` does. */
async function runCliHead(args: readonly string[], n: number): Promise<HeadResult> {
  const started = Date.now();
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  let seen = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  await new Promise<void>((resolve) => {
    child.stdout.on('data', (c: Buffer) => {
      seen += c.toString();
      if (seen.split('\n').length > n) {
        child.stdout.destroy();
        resolve();
      }
    });
    child.stdout.on('end', resolve);
  });
  const code = await exited;
  return { lines: seen.split('\n').slice(0, n), code, stderr, ms: Date.now() - started };
}

/** `kho-abi ARGS | head -n` printed its n lines and ended at once, with exit code 0 and nothing on stderr. */
export async function expectEndedByHead(args: readonly string[], n: number): Promise<HeadResult> {
  const r = await runCliHead(args, n);
  expect(r.lines).toHaveLength(n);
  expect(r.code).toBe(0);
  expect(r.stderr).toBe('');
  // A whole run takes many seconds on a shared machine; a closed pipe ends it well before.
  expect(r.ms).toBeLessThan(6000);
  return r;
}
