import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const SOURCE = fileURLToPath(new URL('../../fixtures/gen/gen-images.c', import.meta.url));

/** Compile fixtures/gen/gen-images.c with gcc and run it; resolves to the directory of images it wrote. */
export async function generateImages(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'kho-abi-images-'));
  const bin = join(dir, 'gen-images');
  await run('gcc', ['-std=gnu11', '-Wall', '-Wextra', '-Werror', '-O1', '-o', bin, SOURCE]);
  await run(bin, [join(dir, 'img')]);
  return join(dir, 'img');
}

/** One program header as binutils' `readelf -lW` prints it. */
export interface ReadelfSegment {
  type: string;
  offset: bigint;
  paddr: bigint;
  filesz: bigint;
}

/** The program headers of an ELF file, read by binutils (an independent ELF reader). */
export async function readelfSegments(path: string): Promise<ReadelfSegment[]> {
  const { stdout } = await run('readelf', ['-lW', path]);
  return stdout
    .split('\n')
    .map((l) => /^\s+(LOAD|NOTE)\s+(0x[0-9a-f]+)\s+(0x[0-9a-f]+)\s+(0x[0-9a-f]+)\s+(0x[0-9a-f]+)\s+(0x[0-9a-f]+)/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ type: m[1]!, offset: BigInt(m[2]!), paddr: BigInt(m[4]!), filesz: BigInt(m[5]!) }));
}
