import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { describeFsError } from './read-input.js';

/**
 * The blob files named by command-line arguments: a file (or `-`) as is, a
 * directory as every regular file in it, sorted, leaving out JSON sidecars.
 */
export async function listBlobs(args: readonly string[]): Promise<{ files: string[]; directories: number }> {
  const files: string[] = [];
  let directories = 0;
  for (const arg of args) {
    if (arg === '-' || !(await isDirectory(arg))) {
      files.push(arg);
      continue;
    }
    directories++;
    const entries = await readdir(arg, { withFileTypes: true }).catch((e: unknown) => {
      throw new UsageError(describeFsError(e, arg));
    });
    const names = entries.filter((e) => e.isFile() && !e.name.endsWith('.json') && !e.name.startsWith('.')).map((e) => e.name);
    files.push(...names.sort().map((n) => join(arg, n)));
  }
  return { files, directories };
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
