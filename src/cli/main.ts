import { once } from 'node:events';
import { Command, CommanderError } from 'commander';
import { BlobError, UsageError } from '../errors.js';
import { offsetText } from '../findings.js';
import { commandsFor, type CommandModule } from './commands/index.js';
import type { CliContext } from './context.js';
import { examples } from './help-examples.js';
import { checkHelpTarget, refuseRepeats } from './strict-options.js';

declare const __VERSION__: string | undefined;

function* withNewlines(lines: Iterable<string>): Generator<string> {
  let first = true;
  for (const line of lines) {
    yield first ? line : `\n${line}`;
    first = false;
  }
}

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
    outLines(lines: Iterable<string>) {
      return ctx.outChunks(withNewlines(lines));
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

/** The kho-abi program with the given commands registered. */
export function createProgram(ctx: CliContext, commands: readonly CommandModule[]): Command {
  const program = new Command('kho-abi')
    .description('Decode, encode, validate and diff the Linux KHO / Live Update PCI ABI (struct pci_ser) byte-exactly')
    .version(typeof __VERSION__ === 'string' ? __VERSION__ : '0.0.0-dev')
    .addHelpText('after', examples(
      'kho-abi list',
      'kho-abi detect blob.bin',
      'kho-abi decode blob.bin --abi pci-v3/flat8-max32',
      'kho-abi validate --memory vmcore.elf --root-pa 0x100000 --abi pci/blk16-v2',
      'kho-abi abi-diff --repo . --base origin/master',
    ));
  for (const c of commands) c.register(program, ctx);
  const configure = (cmd: Command) => {
    const usage = [...ancestry(cmd), '--help'].join(' ');
    cmd.exitOverride().configureOutput({
      writeOut: (s) => ctx.out(s.trimEnd()),
      writeErr: (s) => ctx.err(s.trimEnd()),
      // commander's own errors ("error: unknown option …") as one line, like every other error.
      outputError: (s, write) => write(`kho-abi: ${oneLine(s)} (${usage})`),
    });
    refuseRepeats(cmd);
    cmd.commands.forEach(configure);
  };
  configure(program);
  return program;
}

function ancestry(cmd: Command): string[] {
  const names: string[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) names.unshift(c.name());
  return names;
}

/** A message as one printable line: control bytes (from a binary file, say) escaped, line breaks folded. */
export function oneLine(text: string): string {
  return text
    .trim()
    .replace(/\s*\n\s*/g, ' ')
    .replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Report an error thrown by a command; returns the exit code it means. */
export function reportError(ctx: CliContext, e: unknown): 0 | 1 | 2 {
  if (e instanceof CommanderError) {
    // Commander has printed its own message; help and --version end with code 0.
    return e.exitCode === 0 ? 0 : 2;
  }
  if (e instanceof BlobError) {
    ctx.err(`${e.file ?? '<blob>'}:${offsetText(e.offset)}: error[${e.rule}]: ${oneLine(e.message)}`);
    return 1;
  }
  if (e instanceof UsageError) {
    ctx.err(`kho-abi: error: ${oneLine(e.message)}`);
    return 2;
  }
  const detail = process.env.KHO_ABI_DEBUG && e instanceof Error ? `\n${e.stack}` : '';
  ctx.err(`kho-abi: internal error: ${oneLine(e instanceof Error ? e.message : String(e))} (please report this)${detail}`);
  return 2;
}

/** Run the command line; resolves to the exit code. */
export async function main(argv: readonly string[], ctx: CliContext & { code: 0 | 1 | 2 } = processContext()): Promise<number> {
  try {
    const program = createProgram(ctx, await Promise.all(commandsFor(argv.slice(2)).map((c) => c.load())));
    checkHelpTarget(program, argv.slice(2));
    await program.parseAsync(argv as string[]);
  } catch (e) {
    ctx.exit(reportError(ctx, e));
  }
  return ctx.code;
}
