import { existsSync } from 'node:fs';
import { readBtfFile } from '../btf/read-btf-file.js';
import { UsageError } from '../errors.js';
import { parseHeader } from '../header/parse-header.js';
import { readHeader, treeRoot } from '../header/read-header.js';
import { DEFAULT_TARGET } from '../header/target.js';
import { treeIncludeResolver } from '../header/tree-resolver.js';
import { abis, getAbi, isAbiId } from '../registry.js';
import { resolveCommit, showFile } from './git.js';
import { abiSnapshot, btfSnapshot, type AbiSnapshot } from './snapshot.js';
import { checkedSnapshot, gitTree, type ReadOptions } from './tree.js';

/** Where abi-diff reads its sides: a git work tree (for REF:PATH), -I directories, target and -D. */
export interface SourceOptions extends ReadOptions {
  readonly repo?: string;
}

/** A header as it is at a commit, #includes resolved in the same revision; `file` names it in findings. */
export function headerAtCommit(repo: string, commit: string, path: string, file: string, label: string, opts: ReadOptions = {}): AbiSnapshot | undefined {
  const tree = gitTree(repo, commit, label);
  const text = showFile(repo, commit, path);
  if (text === undefined) return undefined;
  const target = opts.target ?? DEFAULT_TARGET;
  const resolveInclude = treeIncludeResolver((p) => tree.read(p), target.arch, opts.includeDirs);
  return checkedSnapshot(parseHeader(text, file, { resolveInclude, target, ...(opts.defines ? { defines: opts.defines } : {}) }), label, path, opts);
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
    const snap = headerAtCommit(opts.repo, commit, path, spec, spec, opts);
    if (!snap) throw new UsageError(`${path} does not exist at ${ref}`);
    return snap;
  }
  if (existsSync(spec)) {
    const root = treeRoot(spec);
    return checkedSnapshot(readHeader(spec, opts), spec, spec, opts, { file: spec, ...(root ? { treeRoot: root } : {}) });
  }
  if (!isAbiId(spec) && !abis.some((a) => a.compatible === spec) && /(^\.{0,2}\/|\.h$)/.test(spec)) {
    throw new UsageError(`${spec}: no such file (OLD and NEW are each an ABI id, a header file, or REF:PATH with --repo)`);
  }
  return abiSnapshot(getAbi(spec));
}
