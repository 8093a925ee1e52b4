import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { commands, commandsFor } from '../../src/cli/commands/index.js';
import { processContext } from '../../src/cli/main.js';
import { CLI } from './run-cli.js';

const TRACE = fileURLToPath(new URL('./fixtures/trace-loads.mjs', import.meta.url));

/** The module URLs the built CLI loads for `args` (node --import a tracing preload). */
async function loadedBy(args: string[]): Promise<string[]> {
  const { stderr } = await promisify(execFile)(process.execPath, ['--import', TRACE, CLI, ...args], { encoding: 'utf8' });
  const line = /^loaded: (.*)$/m.exec(stderr);
  if (!line) throw new Error(`no trace of the loaded modules: ${stderr}`);
  return JSON.parse(line[1]!) as string[];
}

/** The built modules among loaded URLs that hold the ABI registry (esbuild names each source file in a comment). */
const registryChunks = (urls: string[]) => urls.filter((u) => u.startsWith('file:') && u.includes('/dist/') && readFileSync(fileURLToPath(u), 'utf8').includes('// src/registry.ts'));

/** The command chunks of dist/ among loaded URLs, by command name. */
const commandChunks = (urls: string[]) => commands.map((c) => c.name).filter((name) => urls.some((u) => new RegExp(`/dist/${name}-[A-Z0-9]+\\.js$`).test(u)));

describe('loading only what a command needs', () => {
  it('names every command as its module registers it, in --help order', async () => {
    const program = new Command();
    for (const c of commands) (await c.load()).register(program, processContext());
    expect(program.commands.map((c) => c.name())).toEqual(commands.map((c) => c.name));
  });

  it('picks no command for --version, the named one, or all of them when commander must list or suggest', () => {
    const names = (args: string[]) => commandsFor(args).map((c) => c.name);
    expect(names(['--version'])).toEqual([]);
    expect(names(['-V'])).toEqual([]);
    expect(names(['list', '--json'])).toEqual(['list']);
    expect(names(['decode', 'x.bin', '--abi', 'pci-v3'])).toEqual(['decode']);
    for (const args of [[], ['--help'], ['help', 'decode'], ['lst'], ['--abi', 'list']]) expect(names(args)).toHaveLength(commands.length);
  });

  it('starts the built command without fast-check or any other command for --version and list', async () => {
    const version = await loadedBy(['--version']);
    expect(version.some((u) => u.endsWith('/dist/cli.js'))).toBe(true);
    expect(commandChunks(version)).toEqual([]);
    expect(version.filter((u) => u.includes('fast-check'))).toEqual([]);
    expect(registryChunks(version)).toEqual([]);
    const list = await loadedBy(['list']);
    expect(commandChunks(list)).toEqual(['list']);
    expect(list.filter((u) => u.includes('fast-check'))).toEqual([]);
    // The fingerprints `list` prints were computed when abi/index.ts was generated.
    expect(list.filter((u) => /^node:crypto$|^crypto$/.test(u))).toEqual([]);
    const fuzz = await loadedBy(['fuzz', '--abi', 'pci-v3', '--runs', '1']);
    expect(fuzz.some((u) => u.includes('fast-check'))).toBe(true);
  });
});
