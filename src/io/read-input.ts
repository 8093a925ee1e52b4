import { constants } from 'node:buffer';
import { readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { UsageError } from '../errors.js';
import { ChunkedBytes, GrowableBytes, type ByteSink } from './byte-sink.js';
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

/**
 * Read a JSON text file (or stdin for `-`) as bytes, capped like readInput but with a cap made for text.
 * Text that arrives in pieces (a pipe) grows one buffer in place: it is never held twice.
 */
export function readJsonInput(path: string, maxSize = DEFAULT_MAX_JSON_INPUT): Promise<Uint8Array> {
  // Node holds at most MAX_LENGTH bytes in one buffer, whatever --max-size says.
  maxSize = Math.min(maxSize, constants.MAX_LENGTH - 1);
  const sink = () => {
    try {
      return new GrowableBytes(maxSize + 1);
    } catch {
      throw new UsageError(`cannot reserve ${maxSize} bytes of memory for JSON text: lower --max-size`);
    }
  };
  return path === '-' ? readStdin(maxSize, sink(), 'JSON text') : readFileCapped(path, maxSize, sink, 'JSON text');
}

/**
 * Read a file up to `max` bytes: a regular file in one read into a buffer of its size; a pipe
 * or a growing file in pieces into `sink`.
 */
async function readFileCapped(path: string, max: number, sink: () => ByteSink = () => new ChunkedBytes(), kind = 'blob'): Promise<Uint8Array> {
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
    const file = handle;
    const read = async (into: Uint8Array): Promise<number> => {
      try {
        return (await file.read(into, 0, into.length, null)).bytesRead;
      } catch (e) {
        throw new UsageError(describeFsError(e, path));
      }
    };
    const first = new Uint8Array(st.isFile() ? st.size : 0);
    const n = first.length > 0 ? await read(first) : 0;
    // The common case: the file held what stat said, and nothing more arrives.
    const probe = new Uint8Array(1);
    const more = n === first.length ? await read(probe) : 1;
    if (more === 0) return first.subarray(0, n);
    const bytes = sink();
    bytes.append(first.subarray(0, n));
    if (n === first.length) bytes.append(probe);
    return await readRest(read, bytes, max, () => new UsageError(tooLarge(path, max, kind)));
  } finally {
    await handle.close();
  }
}

/** Read with `read` into `bytes` until the end (a read of 0 bytes); past `max` bytes, throw `tooLarge()`. */
async function readRest(read: (into: Uint8Array) => Promise<number>, bytes: ByteSink, max: number, tooLarge: () => UsageError): Promise<Uint8Array> {
  for (;;) {
    if (bytes.length > max) throw tooLarge();
    const got = await read(bytes.room(Math.min(1 << 20, max + 1 - bytes.length)));
    if (got === 0) return bytes.bytes();
    bytes.grew(got);
  }
}


/**
 * Read standard input up to `max` bytes straight into `bytes`: no stream chunks, which would
 * stay in memory until a collection frees them. Standard input left non-blocking by whoever
 * started us (a read says EAGAIN) is read through process.stdin instead.
 */
async function readStdin(max: number, bytes: ByteSink = new ChunkedBytes(), kind = 'blob'): Promise<Uint8Array> {
  const tooBig = () => new UsageError(tooLarge('standard input', max, kind));
  let nonBlocking = false;
  const read = async (into: Uint8Array): Promise<number> => {
    try {
      // A plain read(2): the command has nothing else to do while its input arrives.
      return readSync(0, into, 0, into.length, null);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw new UsageError(describeFsError(e, 'standard input'));
      nonBlocking = true;
      return 0;
    }
  };
  await readRest(read, bytes, max, tooBig);
  if (!nonBlocking) return bytes.bytes();
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    if (bytes.length + chunk.length > max) {
      process.stdin.destroy();
      throw tooBig();
    }
    bytes.append(chunk);
  }
  return bytes.bytes();
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
