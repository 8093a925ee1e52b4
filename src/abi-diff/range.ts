import { abiDiff, type AbiDiffOptions, type HeaderDiff } from './abi-diff.js';
import { changedFiles, listFiles, resolveCommit } from './git.js';
import { emptySnapshot } from './snapshot.js';
import { headerAtCommit } from './sources.js';

/** Where the KHO ABI headers live in a kernel tree. */
export const KHO_ABI_DIR = 'include/linux/kho/abi';

/** The result of diffing every KHO ABI header between two commits. */
export interface RangeDiff {
  readonly base: string;
  readonly head: string;
  /** KHO ABI headers at head. */
  readonly headers: readonly string[];
  /** Headers that changed (and existed at base), each diffed. */
  readonly diffs: readonly HeaderDiff[];
  /** Headers new at head: nothing to be compatible with. */
  readonly added: readonly string[];
}

/**
 * Diff every include/linux/kho/abi/*.h that changed between two refs of a git work tree,
 * like scripts/check-uapi.sh but with git alone. Refs are verified as commits first.
 */
export function abiDiffRange(repo: string, base: string, head = 'HEAD', opts: AbiDiffOptions & { includeDirs?: readonly string[] } = {}): RangeDiff {
  const from = resolveCommit(repo, base);
  const to = resolveCommit(repo, head);
  const isHeader = (p: string) => p.endsWith('.h');
  const headers = listFiles(repo, to, KHO_ABI_DIR).filter(isHeader);
  const diffs: HeaderDiff[] = [];
  const added: string[] = [];
  for (const path of changedFiles(repo, from, to, KHO_ABI_DIR).filter(isHeader)) {
    const old = headerAtCommit(repo, from, path, `${base}:${path}`, base, opts.includeDirs);
    if (!old) {
      added.push(path);
      continue;
    }
    const next = headerAtCommit(repo, to, path, path, head, opts.includeDirs) ?? emptySnapshot(head, path);
    diffs.push(abiDiff(old, next, opts));
  }
  return { base, head, headers, diffs, added };
}
