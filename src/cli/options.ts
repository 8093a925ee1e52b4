import { Option, type Command } from 'commander';
import { BlobError, UsageError } from '../errors.js';
import { DEFAULT_MAX_INPUT, readInput } from '../io/read-input.js';

export interface InputFlags {
  inputFormat: 'raw' | 'hex';
  maxSize: number;
}

function byteCount(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0) throw new UsageError(`--max-size takes a byte count, got "${value}"`);
  return n;
}

/** `--max-size BYTES`: the most a command reads (default DEFAULT_MAX_INPUT). */
export function maxSizeOption(description = 'refuse inputs larger than this'): Option {
  return new Option('--max-size <bytes>', description).argParser(byteCount).default(DEFAULT_MAX_INPUT);
}

/** Add `--input-format raw|hex` and `--max-size BYTES` to a command that reads blobs. */
export function withInputOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--input-format <format>', 'blob encoding: raw bytes, or a hex dump (plain hex or xxd output)').choices(['raw', 'hex']).default('raw'))
    .addOption(maxSizeOption());
}

/** Read a blob argument with the command's input flags. */
export function readBlob(path: string, flags: InputFlags): Promise<Uint8Array> {
  return readInput(path, { format: flags.inputFormat, maxSize: flags.maxSize });
}

/** Run a decode step and say which file a BlobError is about. */
export function inFile<T>(file: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw e instanceof BlobError && !e.file ? e.inFile(file) : e;
  }
}

/** An example block for `--help`. */
export function examples(...lines: string[]): string {
  return `\nExample${lines.length > 1 ? 's' : ''}:\n${lines.map((l) => `  $ ${l}`).join('\n')}`;
}
