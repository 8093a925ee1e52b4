import { Option, type Command } from 'commander';
import { BlobError, UsageError } from '../errors.js';
import { GroupOrderUnknown } from '../io/hex-dump-input.js';
import { DEFAULT_MAX_INPUT, readInput } from '../io/read-input.js';
import { validate } from '../validate/validate.js';

export interface InputFlags {
  inputFormat: 'raw' | 'hex' | 'hex-le' | 'hex-be';
  maxSize: number;
}

function byteCount(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0) throw new UsageError(`--max-size takes a byte count, got "${value}"`);
  return n;
}

/** `--max-size BYTES`: the most a command reads (default DEFAULT_MAX_INPUT, or `byDefault`). */
export function maxSizeOption(description = 'refuse inputs larger than this', byDefault = DEFAULT_MAX_INPUT): Option {
  return new Option('--max-size <bytes>', description).argParser(byteCount).default(byDefault);
}

/** Add `--input-format raw|hex` and `--max-size BYTES` to a command that reads blobs. */
export function withInputOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--input-format <format>', 'blob encoding: raw bytes, or a hex dump (plain hex, xxd, xxd -e, hexdump -C, od -A x -t x1z, print_hex_dump); hex-le / hex-be say the order of multi-byte groups').choices(['raw', 'hex', 'hex-le', 'hex-be']).default('raw'))
    .addOption(maxSizeOption());
}

/**
 * Read a blob argument with the command's input flags. A hex dump whose multi-byte groups could be
 * either order (xxd -e or xxd -g N) is read the one way that gives a valid blob of `abi`, if exactly
 * one does; else 2-byte groups are read as plain xxd prints them, and wider ones are refused.
 */
export async function readBlob(path: string, flags: InputFlags, abi?: string): Promise<Uint8Array> {
  try {
    return await readInput(path, { format: flags.inputFormat, maxSize: flags.maxSize });
  } catch (e) {
    if (!(e instanceof GroupOrderUnknown)) throw e;
    const fits = abi === undefined ? [] : [e.littleEndian, e.bigEndian].filter((bytes) => validate(bytes, abi).valid);
    if (fits.length === 1) return fits[0]!;
    if (e.plainXxd) return e.bigEndian;
    throw e;
  }
}

/** Run a decode step and say which file a BlobError is about. */
export function inFile<T>(file: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw e instanceof BlobError && !e.file ? e.inFile(file) : e;
  }
}
