import { execFileSync } from 'node:child_process';
import { UsageError } from '../errors.js';

/** Run git in a repository with an argument array (never a shell); stdout as text. */
function git(repo: string, args: readonly string[]): string {
  try {
    return execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: string };
    if (err.code === 'ENOENT') throw new UsageError('git not found on PATH');
    throw new UsageError(`git ${args[0]} failed in ${repo}: ${(err.stderr ?? err.message).trim().split('\n')[0]}`);
  }
}

function isWorkTree(repo: string): boolean {
  try {
    execFileSync('git', ['-C', repo, 'rev-parse', '--git-dir'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The commit a ref names (`rev-parse --verify --end-of-options REF^{commit}`), or a UsageError. */
export function resolveCommit(repo: string, ref: string): string {
  try {
    return execFileSync('git', ['-C', repo, 'rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    }).trim();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new UsageError('git not found on PATH');
    if (!isWorkTree(repo)) throw new UsageError(`--repo ${repo}: not a git work tree`);
    throw new UsageError(`${JSON.stringify(ref)} is not a commit in ${repo}`);
  }
}

/** A path inside the repository as git wants it: relative, no `..`, no leading dash. */
function repoPath(path: string): string {
  const p = path.replace(/^\.\//, '');
  if (p === '' || p.startsWith('/') || p.startsWith('-') || p.split('/').includes('..')) throw new UsageError(`${JSON.stringify(path)} is not a path inside the repository`);
  return p;
}

/** The text of a file at a commit, or undefined when the commit has no such file. */
export function showFile(repo: string, commit: string, path: string): string | undefined {
  const p = repoPath(path);
  const listed = git(repo, ['ls-tree', '--name-only', commit, '--', p]).trim();
  if (listed !== p) return undefined;
  return git(repo, ['show', `${commit}:${p}`]);
}

/** Every file path of a commit's tree. */
export function gitTreeFiles(repo: string, commit: string): string[] {
  return git(repo, ['ls-tree', '-r', '--name-only', '-z', commit]).split('\0').filter(Boolean);
}

/** A file's text at a commit (the caller knows the path exists). */
export function showBlob(repo: string, commit: string, path: string): string {
  return git(repo, ['show', `${commit}:${repoPath(path)}`]);
}

/** Several files' texts at a commit with one `git cat-file --batch` (paths the commit has). */
export function showBlobs(repo: string, commit: string, paths: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  if (paths.length === 0) return out;
  let data: Buffer;
  try {
    data = execFileSync('git', ['-C', repo, 'cat-file', '--batch'], { input: paths.map((p) => `${commit}:${repoPath(p)}\n`).join(''), maxBuffer: 256 << 20, stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (e) {
    throw new UsageError(`git cat-file failed in ${repo}: ${(e as Error).message.split('\n')[0]}`);
  }
  let at = 0;
  for (const path of paths) {
    const nl = data.indexOf(10, at);
    const header = data.subarray(at, nl).toString('utf8');
    const size = Number(/ blob (\d+)$/.exec(header)?.[1] ?? NaN);
    if (!Number.isFinite(size)) throw new UsageError(`git cat-file: unexpected answer "${header}" for ${path}`);
    out.set(path, data.subarray(nl + 1, nl + 1 + size).toString('utf8'));
    at = nl + 1 + size + 1;
  }
  return out;
}
