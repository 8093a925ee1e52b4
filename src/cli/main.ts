import { once } from 'node:events';
import { Command, CommanderError } from 'commander';
import { BlobError, UsageError } from '../errors.js';
import { offsetText } from '../findings.js';
import { commands } from './commands/index.js';
import type { CliContext } from './context.js';

declare const __VERSION__: string | undefined;

/** A context writing to the process streams. */
export function processContext(): CliContext & { code: 0 | 1 | 2 } {
  const ctx = {
    code: 0 as 0 | 1 | 2,
    out: (text: string) => void process.stdout.write(`${text}\n`),
    err: (text: string) => void process.stderr.write(`${text}\n`),
    async outChunks(chunks: Iterable<string>) {
      let pending = '';
      for (const chunk of chunks) {
        pending += chunk;
        if (pending.length < 1 << 16) continue;
        if (!process.stdout.write(pending)) await once(process.stdout, 'drain');
        pending = '';
      }
      process.stdout.write(`${pending}\n`);
    },
    outBytes: (data: Uint8Array) => void process.stdout.write(data),
    stdoutIsTTY: process.stdout.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
    exit(code: 0 | 1 | 2) {
      if (code > ctx.code) ctx.code = code;
    },
  };
  return ctx;
}

/** The kho-abi program with every command registered. */
export function createProgram(ctx: CliContext): Command {
  const program = new Command('kho-abi')
    .description('Decode, encode, validate and diff the Linux KHO / Live Update PCI ABI (struct pci_ser) byte-exactly')
    .version(typeof __VERSION__ === 'string' ? __VERSION__ : '0.0.0-dev')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (s) => ctx.out(s.trimEnd()), writeErr: (s) => ctx.err(s.trimEnd()) })
    .exitOverride();
  for (const c of commands) c.register(program, ctx);
  for (const sub of program.commands) sub.exitOverride().configureOutput({ writeOut: (s) => ctx.out(s.trimEnd()), writeErr: (s) => ctx.err(s.trimEnd()) }).showHelpAfterError('(run with --help for usage)');
  return program;
}

/** Report an error thrown by a command; returns the exit code it means. */
export function reportError(ctx: CliContext, e: unknown): 0 | 1 | 2 {
  if (e instanceof CommanderError) {
    // Commander has printed its own message; help and --version end with code 0.
    return e.exitCode === 0 ? 0 : 2;
  }
  if (e instanceof BlobError) {
    ctx.err(`${e.file ?? '<blob>'}:${offsetText(e.offset)}: error[${e.rule}]: ${e.message}`);
    return 1;
  }
  if (e instanceof UsageError) {
    ctx.err(`kho-abi: error: ${e.message}`);
    return 2;
  }
  const detail = process.env.KHO_ABI_DEBUG && e instanceof Error ? `\n${e.stack}` : '';
  ctx.err(`kho-abi: internal error: ${e instanceof Error ? e.message : String(e)} (please report this)${detail}`);
  return 2;
}

/** Run the command line; resolves to the exit code. */
export async function main(argv: readonly string[], ctx: CliContext & { code: 0 | 1 | 2 } = processContext()): Promise<number> {
  const program = createProgram(ctx);
  try {
    await program.parseAsync(argv as string[]);
  } catch (e) {
    ctx.exit(reportError(ctx, e));
  }
  return ctx.code;
}
