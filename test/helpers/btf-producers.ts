import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Run a real tool; a missing one fails the test with what to install (CI installs every one). */
export function tool(cmd: string, args: readonly string[], install: string): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: string };
    if (err.code === 'ENOENT') throw new Error(`${cmd} not found on PATH: this test needs it (apt-get install ${install})`);
    throw new Error(`${cmd} ${args.join(' ')} failed:\n${err.stderr ?? err.message}`);
  }
}

/** A fresh temporary directory for one test file's objects. */
export function scratchDir(): string {
  return mkdtempSync(join(tmpdir(), 'kho-abi-btf-'));
}

/** How an object with BTF is produced from C: the kernel's two paths and clang's BPF target. */
export type BtfProducer = 'gcc -gbtf' | 'gcc -g + pahole -J' | 'clang --target=bpf -g';

/** Compile a C file into an object carrying a .BTF section with a real producer; returns its bytes and path. */
export function buildBtfObject(producer: BtfProducer, source: string, out: string, extraArgs: readonly string[] = []): { path: string; bytes: Uint8Array } {
  switch (producer) {
    case 'gcc -gbtf':
      tool('gcc', ['-gbtf', '-c', ...extraArgs, source, '-o', out], 'gcc');
      break;
    case 'gcc -g + pahole -J':
      tool('gcc', ['-g', '-c', ...extraArgs, source, '-o', out], 'gcc');
      // As the kernel build runs it (scripts/pahole-flags.sh): floats as BTF_KIND_FLOAT.
      tool('pahole', ['-J', '--btf_gen_floats', out], 'dwarves');
      break;
    case 'clang --target=bpf -g':
      tool('clang', ['--target=bpf', '-g', '-c', ...extraArgs, source, '-o', out], 'clang');
      break;
  }
  return { path: out, bytes: readFileSync(out) };
}
