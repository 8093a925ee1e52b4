/** What a command needs from the process: output streams and the exit code it ends with. */
export interface CliContext {
  /** Print a line (or lines) on standard output. */
  out(text: string): void;
  /** Print a line on standard error. */
  err(text: string): void;
  /** Print text given in pieces (then a newline), waiting for the reader: large output is never one string. */
  outChunks(chunks: Iterable<string>): Promise<void>;
  /** Print lines given one at a time, waiting for the reader: text of any size streams. */
  outLines(lines: Iterable<string>): Promise<void>;
  /** Write raw bytes on standard output. */
  outBytes(data: Uint8Array): void;
  /** Whether standard output / error is a terminal. */
  readonly stdoutIsTTY: boolean;
  readonly stderrIsTTY: boolean;
  /** Raise the exit code (0 done, 1 findings, 2 usage or input error); the highest wins. */
  exit(code: 0 | 1 | 2): void;
}
