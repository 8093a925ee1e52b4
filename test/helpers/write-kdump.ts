import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const SOURCE = fileURLToPath(new URL('../../fixtures/gen/write-kdump.c', import.meta.url));
let binary: Promise<string> | undefined;

/** Compression write-kdump.c can give the pages (`none` stores them as is). */
export type KdumpCodec = 'zlib' | 'lzo' | 'snappy' | 'zstd' | 'none';

/** fixtures/gen/write-kdump.c compiled by gcc against zlib, liblzo2, libsnappy and libzstd, once per process. */
function writer(): Promise<string> {
  binary ??= (async () => {
    const bin = join(mkdtempSync(join(tmpdir(), 'kho-abi-write-kdump-')), 'write-kdump');
    await run('gcc', ['-std=gnu11', '-Wall', '-Wextra', '-Werror', '-O2', '-o', bin, SOURCE, '-lz', '-llzo2', '-lsnappy', '-lzstd']);
    return bin;
  })();
  return binary;
}

/** Write OUT, a kdump-compressed file of the raw memory in RAW (which starts at physical `base`), with write-kdump.c. */
export async function writeKdump(raw: string, base: bigint, out: string, opts: { codec: KdumpCodec; blockSize?: number; version?: number; machine?: string }): Promise<void> {
  const { codec, blockSize = 4096, version = 6, machine = 'x86_64' } = opts;
  await run(await writer(), [raw, `0x${base.toString(16)}`, codec, String(blockSize), String(version), machine, out]);
}
