import type { Command } from 'commander';
import type { CliContext } from '../context.js';

/** A command's module: it registers the command on the program. */
export interface CommandModule {
  register(program: Command, ctx: CliContext): void;
}

/** A command by the name it registers, and how to load its module. */
export interface CommandEntry {
  readonly name: string;
  readonly load: () => Promise<CommandModule>;
}

/**
 * Every command, in the order `--help` lists them. A module (and the library code it
 * imports) is loaded only when its command runs, so `kho-abi list` never loads the fuzzer.
 */
export const commands: readonly CommandEntry[] = [
  { name: 'list', load: () => import('./list.js') },
  { name: 'layout', load: () => import('./layout.js') },
  { name: 'decode', load: () => import('./decode.js') },
  { name: 'encode', load: () => import('./encode.js') },
  { name: 'hexdump', load: () => import('./hexdump.js') },
  { name: 'inspect', load: () => import('./inspect.js') },
  { name: 'header', load: () => import('./header.js') },
  { name: 'btf', load: () => import('./btf.js') },
  { name: 'abi-diff', load: () => import('./abi-diff.js') },
  { name: 'compat', load: () => import('./compat.js') },
  { name: 'convert', load: () => import('./convert.js') },
  { name: 'gen', load: () => import('./gen.js') },
  { name: 'validate', load: () => import('./validate.js') },
  { name: 'detect', load: () => import('./detect.js') },
  { name: 'diff', load: () => import('./diff.js') },
  { name: 'fuzz', load: () => import('./fuzz.js') },
];

/**
 * The commands a command line needs: none for `--version`, the one it names, or every one
 * (no arguments, --help, `help NAME`, an unknown name: commander lists or suggests them).
 */
export function commandsFor(args: readonly string[]): readonly CommandEntry[] {
  const first = args[0];
  if (first === '--version' || first === '-V') return [];
  const named = commands.find((c) => c.name === first);
  return named ? [named] : commands;
}
