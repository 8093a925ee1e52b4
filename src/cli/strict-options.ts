import type { Command } from 'commander';
import { UsageError } from '../errors.js';

/**
 * Refuse an option given twice with different values (`--abi A --abi B`, `--format text
 * --format json`): commander keeps the last one silently. Options that collect a list
 * (their default is an array, like --memory, or they take several values, like --matrix) may repeat.
 */
export function refuseRepeats(cmd: Command): void {
  const seen = new Map<string, unknown>();
  for (const option of cmd.options) {
    if (Array.isArray(option.defaultValue) || option.variadic) continue;
    const name = option.name();
    cmd.on(`option:${name}`, (value: unknown) => {
      if (seen.has(name) && seen.get(name) !== value) {
        throw new UsageError(`${option.long ?? option.short} given twice (${shown(seen.get(name))}, then ${shown(value)}): give it once`);
      }
      seen.set(name, value);
    });
  }
}

function shown(value: unknown): string {
  return value === undefined ? 'on' : JSON.stringify(value);
}

/** `help NAME` of a command that does not exist is an error, not the general help. */
export function checkHelpTarget(program: Command, args: readonly string[]): void {
  let cmd = program;
  const path = [program.name()];
  let i = 0;
  while (i < args.length && !args[i]!.startsWith('-')) {
    const word = args[i]!;
    if (word === 'help' && args[i + 1] !== undefined && !args[i + 1]!.startsWith('-')) {
      const target = args[i + 1]!;
      if (!cmd.commands.some((c) => c.name() === target || c.aliases().includes(target))) {
        throw new UsageError(`no command "${target}" to help with (${[...path, '--help'].join(' ')} lists them)`);
      }
      return;
    }
    const sub = cmd.commands.find((c) => c.name() === word);
    if (!sub) return;
    cmd = sub;
    path.push(word);
    i++;
  }
}
