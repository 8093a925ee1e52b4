import type { AbiDiffOptions, HeaderDiff } from './abi-diff.js';
import { resolveCommit } from './git.js';
import { diffTrees, gitTree, headerGlobs, type ReadOptions } from './tree.js';


/** The result of diffing every KHO ABI header between two commits. */
export interface RangeDiff {
  readonly base: string;
  readonly head: string;
  /** KHO ABI headers at head. */
  readonly headers: readonly string[];
  /** One report per header diffed. */
  readonly diffs: readonly HeaderDiff[];
  /** Headers new at head: nothing to be compatible with. */
  readonly added: readonly string[];
}

/**
 * Diff every include/linux/kho/abi/*.h (or `paths` globs) between two refs of a git work
 * tree, like scripts/check-uapi.sh but with git alone: headers and their #includes are read
 * at each revision. Refs are verified as commits first.
 */
export function abiDiffRange(repo: string, base: string, head = 'HEAD', opts: AbiDiffOptions & ReadOptions & { paths?: readonly string[] } = {}): RangeDiff {
  const from = resolveCommit(repo, base);
  const to = resolveCommit(repo, head);
  const r = diffTrees(gitTree(repo, from, base), gitTree(repo, to, head), headerGlobs(opts.paths), opts);
  return { base, head, ...r };
}
