import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { treeIncludeResolver } from './tree-resolver.js';
import { UsageError } from '../errors.js';
import { describeFsError } from '../io/read-input.js';
import { MAX_HEADER_BYTES as MAX_HEADER, parseHeader } from './parse-header.js';
import type { Target } from './target.js';
import type { IncludeResolver, ParsedHeader } from './types.js';


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
  return (name, system, including) => {
    const base = including ?? from;
    const search = system || !base ? dirs : [dirname(base), ...dirs];
    for (const dir of search) {
      const path = join(dir, name);
      if (existsSync(path)) return { file: path, text: readTextFile(path) };
    }
    return undefined;
  };
}

/** How a header file is read: -I directories, target, -D. */
export interface ReadHeaderOptions {
  readonly includeDirs?: readonly string[];
  readonly target?: Target;
  readonly defines?: Readonly<Record<string, string>>;
}

/** The kernel tree a header sits in (`TREE/include/linux/kho/abi/x.h`), or undefined. */
export function treeRoot(path: string): string | undefined {
  const m = /^(.*?)(?:^|\/)include\/linux\/kho\/abi\/[^/]+\.h$/.exec(path.split('\\').join('/'));
  if (!m) return undefined;
  const root = m[1] || '.';
  return existsSync(join(root, 'include')) ? root : undefined;
}

/**
 * Parse a header file. In a kernel tree (`…/include/linux/kho/abi/x.h`) `#include` is
 * resolved in that tree as Kbuild does; otherwise `"file"` beside the header; then the -I
 * directories.
 */
export function readHeader(path: string, opts: ReadHeaderOptions = {}): ParsedHeader {
  const text = readTextFile(path);
  const root = treeRoot(path);
  const dirs = opts.includeDirs ?? [];
  const resolveInclude = root
    ? treeIncludeResolver((p) => (existsSync(join(root, p)) ? readTextFile(join(root, p)) : undefined), opts.target?.arch ?? 'x86_64', dirs.map((d) => relative(root, d)))
    : includeResolver(dirs, path);
  return parseHeader(text, path, {
    resolveInclude,
    ...(opts.target ? { target: opts.target } : {}),
    ...(opts.defines ? { defines: opts.defines } : {}),
  });
}
