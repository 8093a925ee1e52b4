import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { UsageError } from '../errors.js';
import { HeaderError } from '../header/header-error.js';
import { MAX_HEADER_BYTES, parseHeader } from '../header/parse-header.js';
import { DEFAULT_TARGET, type Target } from '../header/target.js';
import { globBase, globRegExp, treeIncludeResolver } from '../header/tree-resolver.js';
import { abiDiff, unsupportedDiff, type AbiDiffOptions, type HeaderDiff } from './abi-diff.js';
import { gitTreeFiles, showBlob, showBlobs } from './git.js';
import { emptySnapshot, headerSnapshot, type AbiSnapshot } from './snapshot.js';
import { compilerLayouts, layoutDifferences, type CompilerName } from '../header/compiler-layout.js';
import type { ParsedHeader } from '../header/types.js';

/** Where the KHO ABI headers live in a kernel tree. */
export const KHO_ABI_DIR = 'include/linux/kho/abi';
/** The headers abi-diff reads in a tree unless `--path` says otherwise. */
export const DEFAULT_GLOB = `${KHO_ABI_DIR}/*.h`;

/** One kernel tree to read headers from: a directory or a git revision. */
export interface KernelTree {
  /** How the side is named in reports: the directory, or the ref. */
  readonly label: string;
  /** Tree-relative paths of the files under a directory. */
  list(dir: string): string[];
  /** A file's text by tree-relative path, or undefined. */
  read(path: string): string | undefined;
  /** The directory the tree is in, when it is on disk. */
  readonly root?: string;
}

/** A git revision as a KernelTree (files are listed once; a listed directory's files are read with one git cat-file). */
export function gitTree(repo: string, commit: string, label: string): KernelTree {
  let files: Set<string> | undefined;
  const texts = new Map<string, string>();
  const all = () => (files ??= new Set(gitTreeFiles(repo, commit)));
  return {
    label,
    list(dir) {
      const paths = [...all()].filter((p) => dir === '.' || p.startsWith(`${dir}/`));
      const wanted = paths.filter((p) => p.endsWith('.h') && !texts.has(p));
      for (const [p, t] of showBlobs(repo, commit, wanted)) texts.set(p, t);
      return paths;
    },
    read(path) {
      if (!all().has(path)) return undefined;
      if (!texts.has(path)) texts.set(path, showBlob(repo, commit, path));
      return texts.get(path);
    },
  };
}

/** A directory (an unpacked kernel tree) as a KernelTree. */
export function dirTree(root: string): KernelTree {
  return {
    label: root,
    root,
    list(dir) {
      const base = join(root, dir);
      try {
        return (readdirSync(base, { recursive: true }) as string[]).map((p) => posix.join(dir, p.split('\\').join('/'))).filter((p) => statSync(join(root, p)).isFile());
      } catch {
        return [];
      }
    },
    read(path) {
      try {
        const full = join(root, path);
        const st = statSync(full);
        if (!st.isFile()) return undefined;
        if (st.size > MAX_HEADER_BYTES) return 'x'.repeat(MAX_HEADER_BYTES + 1); // parseHeader says it is too large
        return readFileSync(full, 'utf8');
      } catch {
        return undefined;
      }
    },
  };
}

/** How headers are read: target, -D, -I (tree-relative). */
export interface ReadOptions {
  readonly target?: Target;
  readonly defines?: Readonly<Record<string, string>>;
  readonly includeDirs?: readonly string[];
  /** Also lay every header out with this compiler (HEADER_LAYOUT_DIFFERS). */
  readonly cc?: CompilerName;
}

/** A parsed header's snapshot, with the compiler's verdict when `--cc` asks for it. */
export function checkedSnapshot(h: ParsedHeader, label: string, path: string, opts: ReadOptions, disk?: { file: string; treeRoot?: string }): AbiSnapshot {
  const snap = headerSnapshot(h, label, path);
  if (!opts.cc) return snap;
  if (!disk) throw new UsageError('--cc needs the headers on disk: use directory mode (two checkouts) or header files, not git revisions');
  const target = opts.target ?? DEFAULT_TARGET;
  const theirs = compilerLayouts(h, { cc: opts.cc, file: disk.file, ...(disk.treeRoot ? { treeRoot: disk.treeRoot } : {}), includeDirs: opts.includeDirs ?? [], target, ...(opts.defines ? { defines: opts.defines } : {}) });
  return { ...snap, layoutDiffers: layoutDifferences(h.structs.map((s) => s.layout), theirs, opts.cc) };
}

/** The result of diffing the headers of two trees. */
export interface TreeDiff {
  /** Headers matched on the new side. */
  readonly headers: readonly string[];
  /** One report per header that has something to say (or was diffed). */
  readonly diffs: readonly HeaderDiff[];
  /** Headers only on the new side: nothing to be compatible with. */
  readonly added: readonly string[];
}

type Side = { path: string; text: string; snap?: AbiSnapshot; error?: HeaderError };

function readSide(tree: KernelTree, path: string, opts: ReadOptions): Side | undefined {
  const text = tree.read(path);
  if (text === undefined) return undefined;
  const target = opts.target ?? DEFAULT_TARGET;
  try {
    const h = parseHeader(text, path, {
      resolveInclude: treeIncludeResolver((p) => tree.read(p), target.arch, opts.includeDirs),
      target,
      ...(opts.defines ? { defines: opts.defines } : {}),
    });
    return { path, text, snap: checkedSnapshot(h, tree.label, path, opts, tree.root ? { file: join(tree.root, path), treeRoot: tree.root } : undefined) };
  } catch (e) {
    if (!(e instanceof HeaderError)) throw e;
    return { path, text, error: e };
  }
}

/** The headers of a tree matching any glob, sorted. */
export function matchHeaders(tree: KernelTree, globs: readonly string[]): string[] {
  const out = new Set<string>();
  for (const g of globs) {
    const re = globRegExp(g.replace(/^\.\//, ''));
    for (const p of tree.list(globBase(g.replace(/^\.\//, '')))) if (re.test(p)) out.add(p);
  }
  return [...out].sort();
}

/**
 * Diff every header matching the globs between two trees, one report per header. A
 * header that cannot be read on a side where it changed is a HEADER_UNSUPPORTED report and
 * the others are still diffed; a struct that moved to another header is compared with
 * where it was, not reported removed.
 */
export function diffTrees(old: KernelTree, next: KernelTree, globs: readonly string[], opts: AbiDiffOptions & ReadOptions = {}): TreeDiff {
  const oldPaths = matchHeaders(old, globs);
  const newPaths = matchHeaders(next, globs);
  const olds = new Map(oldPaths.map((p) => [p, readSide(old, p, opts)!]));
  const news = new Map(newPaths.map((p) => [p, readSide(next, p, opts)!]));
  const home = (sides: Map<string, Side>) => {
    const m = new Map<string, string>();
    for (const [p, s] of sides) for (const st of s.snap?.structs ?? []) m.set(st.name, p);
    return m;
  };
  const newHome = home(news);
  const diffs: HeaderDiff[] = [];
  const added: string[] = [];
  for (const path of [...new Set([...oldPaths, ...newPaths])].sort()) {
    const o = olds.get(path);
    const n = news.get(path);
    const label = (t: KernelTree) => t.label;
    if (o && n && o.text === n.text && (o.error || n.error)) continue; // unchanged, and unreadable on both sides alike
    const bad = n?.error ? { e: n.error, side: `at ${next.label}` } : o?.error ? { e: o.error, side: `at ${old.label}` } : undefined;
    if (bad) {
      diffs.push(unsupportedDiff(path, label(old), label(next), bad.side, bad.e, opts));
      continue;
    }
    const movedIn = [...olds.values()].flatMap((s) => (s.path === path ? [] : (s.snap?.structs ?? []).filter((st) => newHome.get(st.name) === path && !(o?.snap?.structs ?? []).some((x) => x.name === st.name))));
    const oldSnap = o?.snap ?? emptySnapshot(label(old), path);
    const stays = oldSnap.structs.filter((st) => !newHome.has(st.name) || newHome.get(st.name) === path);
    if (!o && movedIn.length === 0) {
      added.push(path);
      continue;
    }
    const newSnap = n?.snap ?? emptySnapshot(label(next), path);
    diffs.push(abiDiff({ ...oldSnap, label: label(old), structs: [...stays, ...movedIn] }, { ...newSnap, label: label(next) }, opts));
  }
  return { headers: newPaths, diffs, added };
}

/** Globs from `--path` (default: every header of include/linux/kho/abi). */
export function headerGlobs(paths: readonly string[] | undefined): string[] {
  const globs = paths?.length ? [...paths] : [DEFAULT_GLOB];
  for (const g of globs) if (g.startsWith('/') || g.split('/').includes('..')) throw new UsageError(`--path ${g}: a glob relative to the tree`);
  return globs;
}
