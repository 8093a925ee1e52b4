import { constants } from 'node:buffer';
import { open } from 'node:fs/promises';
import { UsageError } from '../errors.js';
import { parseHexDump } from './hex-dump-input.js';

/**
 * The largest input read by default: 16 times the kernel's largest blob (4 MiB), room for a
 * hex dump of one, and low enough that /dev/zero or an endless pipe is refused under 200 MB of memory.
 */
export const DEFAULT_MAX_INPUT = 64 * 1024 * 1024;

export interface ReadInputOptions {
  /** `raw` bytes (default) or a `hex` dump; `hex-le` / `hex-be`: its multi-byte groups are little- / big-endian. */
  readonly format?: 'raw' | 'hex' | 'hex-le' | 'hex-be';
  /** Refuse inputs larger than this many bytes (checked while reading: /dev/zero ends too). */
  readonly maxSize?: number;
}

/** Read a blob from a file path, or standard input for `-`; bad paths are UsageErrors. */
export async function readInput(path: string, opts: ReadInputOptions = {}): Promise<Uint8Array> {
  const max = opts.maxSize ?? DEFAULT_MAX_INPUT;
  const raw = path === '-' ? await readStdin(max) : await readFileCapped(path, max);
  if (opts.format === undefined || opts.format === 'raw') return raw;
  const order = opts.format === 'hex-le' ? 'le' : opts.format === 'hex-be' ? 'be' : 'auto';
  return parseHexDump(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('latin1'), path === '-' ? 'standard input' : path, order);
}

/**
 * The largest JSON text read by default: the longest string Node can hold (about 512 MiB),
 * room for `decode --json` of any flat blob up to the kernel's 4 MiB (about 110 bytes of JSON a device).
 */
export const DEFAULT_MAX_JSON_INPUT = constants.MAX_STRING_LENGTH;

/** Read a JSON text file (or stdin for `-`) as bytes, capped like readInput but with a cap made for text. */
export function readJsonInput(path: string, maxSize = DEFAULT_MAX_JSON_INPUT): Promise<Uint8Array> {
  return path === '-' ? readStdin(maxSize, 'JSON text') : readFileCapped(path, maxSize, 'JSON text');
}

async function readFileCapped(path: string, max: number, kind = 'blob'): Promise<Uint8Array> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (e) {
    throw new UsageError(describeFsError(e, path));
  }
  try {
    const st = await handle.stat();
    if (st.isDirectory()) throw new UsageError(`${path}: is a directory, not a blob`);
    if (st.isFile() && st.size > max) throw new UsageError(tooLarge(path, max, kind));
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      // A regular file is read into one buffer of its size (no second copy); a pipe or a growing file in 1 MiB chunks.
      const chunk = new Uint8Array(total === 0 && st.isFile() && st.size > 0 ? st.size : Math.min(1 << 20, max + 1 - total));
      let n: number;
      try {
        ({ bytesRead: n } = await handle.read(chunk, 0, chunk.length, null));
      } catch (e) {
        throw new UsageError(describeFsError(e, path));
      }
      if (n === 0) break;
      total += n;
      if (total > max) throw new UsageError(tooLarge(path, max, kind));
      chunks.push(chunk.subarray(0, n));
    }
    return chunks.length === 1 ? chunks[0]! : joined(chunks, total);
  } finally {
    await handle.close();
  }
}

async function readStdin(max: number, kind = 'blob'): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > max) {
      process.stdin.destroy();
      throw new UsageError(tooLarge('standard input', max, kind));
    }
    chunks.push(chunk);
  }
  return joined(chunks, total);
}

/** The chunks copied into one new array. */
function joined(chunks: readonly Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function tooLarge(what: string, max: number, kind: string): string {
  if (kind === 'blob') return `${what}: larger than ${max} bytes (--max-size); a pci_ser blob is at most a few MiB`;
  return max === DEFAULT_MAX_JSON_INPUT
    ? `${what}: larger than ${max} bytes, the longest ${kind} Node can hold`
    : `${what}: larger than ${max} bytes (--max-size) for a ${kind}`;
}

/** A one-line message for a failed file operation, without a stack. */
export function describeFsError(e: unknown, path: string): string {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return `${path}: no such file`;
    case 'EACCES':
    case 'EPERM':
      return `${path}: permission denied`;
    case 'EISDIR':
      return `${path}: is a directory, not a blob`;
    case 'ENOTDIR':
      return `${path}: no such file (a component of the path is not a directory)`;
    default:
      return `${path}: ${(e as Error).message}`;
  }
}
