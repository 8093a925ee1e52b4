import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { describeFsError } from './read-input.js';

/** Names in a directory that are not blobs: text that travels with captures (JSON sidecars are left out silently). */
const NOT_BLOBS = /\.(txt|md|h|c|sh|log)$/i;

/** The blob files named by command-line arguments, and what was left out of the directories named. */
export interface BlobList {
  readonly files: string[];
  readonly directories: number;
  /** Entries of a directory that were not read, each with why (`sub/ (directory)`). */
  readonly skipped: string[];
}

/**
 * The blob files named by command-line arguments: a file (or `-`, once) as is, a
 * directory as every regular file in it, sorted, leaving out JSON sidecars, hidden
 * files, text (`.txt`, `.md`, …), subdirectories and special files (the last three said).
 */
export async function listBlobs(args: readonly string[]): Promise<BlobList> {
  if (args.filter((a) => a === '-').length > 1) throw new UsageError('- (standard input) can be read only once');
  const files: string[] = [];
  const skipped: string[] = [];
  let directories = 0;
  for (const arg of args) {
    // A missing file is refused here, before any blob's report is printed.
    const st = arg === '-' ? undefined : await stat(arg).catch((e: unknown) => {
      throw new UsageError(describeFsError(e, arg));
    });
    if (!st?.isDirectory()) {
      files.push(arg);
      continue;
    }
    directories++;
    const names = await readdir(arg).catch((e: unknown) => {
      throw new UsageError(describeFsError(e, arg));
    });
    for (const name of names.sort()) {
      if (name.startsWith('.') || name.endsWith('.json')) continue;
      const path = join(arg, name);
      const st = await stat(path).catch(() => undefined);
      if (st?.isDirectory()) skipped.push(`${path}/ (directory: not read recursively)`);
      else if (!st?.isFile()) skipped.push(`${path} (${st ? 'not a regular file' : 'unreadable'})`);
      else if (NOT_BLOBS.test(name)) skipped.push(`${path} (${name.slice(name.lastIndexOf('.') + 1).toLowerCase()} file)`);
      else files.push(path);
    }
  }
  return { files, directories, skipped };
}
