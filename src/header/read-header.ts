import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { describeFsError } from '../io/read-input.js';
import { parseHeader } from './parse-header.js';
import type { IncludeResolver, ParsedHeader } from './types.js';

/** Largest header kho-abi reads: KHO ABI headers are a few KiB. */
const MAX_HEADER = 4 * 1024 * 1024;

/** Read a text file, or a UsageError that says why not. */
export function readTextFile(path: string): string {
  try {
    const data = readFileSync(path);
    if (data.length > MAX_HEADER) throw new UsageError(`${path}: larger than ${MAX_HEADER} bytes; not a header`);
    return data.toString('utf8');
  } catch (e) {
    throw e instanceof UsageError ? e : new UsageError(describeFsError(e, path));
  }
}

/** Resolve `#include` lines against -I directories (and, for "file" includes, the including file's directory). */
export function includeResolver(dirs: readonly string[], from?: string): IncludeResolver {
  return (name, system) => {
    const search = system || !from ? dirs : [dirname(from), ...dirs];
    for (const dir of search) {
      const path = join(dir, name);
      if (existsSync(path)) return { file: resolve(path), text: readTextFile(path) };
    }
    return undefined;
  };
}

/** Parse a header file; `#include` lines are followed only through the given -I directories. */
export function readHeader(path: string, includeDirs: readonly string[] = []): ParsedHeader {
  const text = readTextFile(path);
  return parseHeader(text, path, includeDirs.length ? { resolveInclude: includeResolver(includeDirs, path) } : {});
}
