import { existsSync } from 'node:fs';
import { posix } from 'node:path';
import { readBtfFile } from '../btf/read-btf-file.js';
import { UsageError } from '../errors.js';
import { parseHeader } from '../header/parse-header.js';
import { readHeader } from '../header/read-header.js';
import type { IncludeResolver } from '../header/types.js';
import { getAbi } from '../registry.js';
import { resolveCommit, showFile } from './git.js';
import { abiSnapshot, btfSnapshot, headerSnapshot, type AbiSnapshot } from './snapshot.js';

/** Where abi-diff reads its sides: a git work tree (for REF:PATH), and -I directories for #include. */
export interface SourceOptions {
  readonly repo?: string;
  readonly includeDirs?: readonly string[];
}

/** `#include` lines resolved in the same commit, under -I directories relative to the repository. */
export function gitIncludeResolver(repo: string, commit: string, dirs: readonly string[]): IncludeResolver | undefined {
  if (dirs.length === 0) return undefined;
  return (name) => {
    for (const dir of dirs) {
      const path = posix.join(dir, name);
      const text = showFile(repo, commit, path);
      if (text !== undefined) return { file: path, text };
    }
    return undefined;
  };
}

/** A header as it is at a commit; `file` names it in findings. */
export function headerAtCommit(repo: string, commit: string, path: string, file: string, label: string, dirs: readonly string[] = []): AbiSnapshot | undefined {
  const text = showFile(repo, commit, path);
  if (text === undefined) return undefined;
  const resolver = gitIncludeResolver(repo, commit, dirs);
  return headerSnapshot(parseHeader(text, file, resolver ? { resolveInclude: resolver } : {}), label, path);
}

/** One side of `abi-diff OLD NEW`: `btf:FILE`, `REF:PATH` (with a repository), a header file, or an ABI id. */
export function loadSnapshot(spec: string, opts: SourceOptions = {}): AbiSnapshot {
  if (spec.startsWith('btf:')) return btfSnapshot(readBtfFile(spec.slice(4)), spec);
  const colon = spec.indexOf(':');
  if (colon > 0 && !existsSync(spec)) {
    if (!opts.repo) throw new UsageError(`${spec}: REF:PATH needs --repo DIR`);
    const ref = spec.slice(0, colon);
    const path = spec.slice(colon + 1);
    const commit = resolveCommit(opts.repo, ref);
    const snap = headerAtCommit(opts.repo, commit, path, spec, spec, opts.includeDirs);
    if (!snap) throw new UsageError(`${path} does not exist at ${ref}`);
    return snap;
  }
  if (existsSync(spec)) return headerSnapshot(readHeader(spec, opts.includeDirs), spec);
  return abiSnapshot(getAbi(spec));
}
