import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { CLI } from '../cli/run-cli.js';

const TIME = '/usr/bin/time';
const dir = mkdtempSync(join(tmpdir(), 'kho-abi-measure-'));
/** The bounds hostile input must stay within: time and peak RSS of one run. */
export const LIMIT_MS = 2000;
export const LIMIT_KIB = 200 * 1024;
if (!existsSync(TIME)) writeFileSync(join(dir, 'max-rss.mjs'), "import { writeFileSync } from 'node:fs';\nprocess.on('exit', () => writeFileSync(process.env.RSS_FILE, String(process.resourceUsage().maxRSS)));\n");

/** What one run of the built command cost, measured from outside. */
export interface Measured {
  code: number | null;
  out: string;
  ms: number;
  rssKiB: number;
}


/**
 * Spawn `kho-abi ARGS` under GNU time (peak RSS of the child from wait4, written to a file so
 * stderr stays the command's own); without GNU time, a preload reports process.resourceUsage().maxRSS.
 */
export function measure(args: string[], opts: { endless?: boolean; uid?: number } = {}): Promise<Measured> {
  const rssFile = join(dir, `rss-${Math.random().toString(36).slice(2)}`);
  const preload = join(dir, 'max-rss.mjs');
  const asUser = opts.uid === undefined ? [] : ['setpriv', `--reuid=${opts.uid}`, `--regid=${opts.uid}`, '--clear-groups'];
  const node = [...asUser, process.execPath, ...(existsSync(TIME) ? [] : ['--import', preload]), CLI, ...args];
  const argv = existsSync(TIME) ? [TIME, '-o', rssFile, '-f', '%M', ...node] : node;
  return new Promise((resolve) => {
    const start = performance.now();
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, RSS_FILE: rssFile } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.stdin.on('error', () => undefined);
    if (opts.endless) {
      const chunk = Buffer.alloc(1 << 20);
      const pump = () => {
        while (child.stdin.writable && child.stdin.write(chunk));
        if (child.stdin.writable) child.stdin.once('drain', pump);
      };
      pump();
    } else child.stdin.end();
    child.on('close', (code) => {
      const ms = performance.now() - start;
      const rssKiB = Number(readFileSync(rssFile, 'utf8').trim().split('\n').at(-1));
      resolve({ code, out, ms, rssKiB });
    });
  });
}

/** The run ended with `code` and a message matching `message`, without a stack trace, within the bounds. */
export function expectBounded(r: Measured, code: 1 | 2, message: RegExp): void {
  expect(r.code, r.out).toBe(code);
  expect(r.out.trimEnd()).toMatch(message);
  expect(r.out).not.toMatch(/internal error|\n\s+at /);
  if (code === 2) expect(r.out.trimEnd().split('\n'), r.out).toHaveLength(1);
  expect(r.ms, `took ${r.ms.toFixed(0)} ms`).toBeLessThan(LIMIT_MS);
  expect(r.rssKiB, `peak RSS ${r.rssKiB} KiB`).toBeLessThan(LIMIT_KIB);
}

