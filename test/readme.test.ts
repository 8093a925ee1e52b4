import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from './cli/run-cli.js';

interface Example {
  line: number;
  args: string[];
  expected: string;
}

/** Every `$ kho-abi …` line of a ```console block in README.md, with the output shown under it. */
function readmeExamples(text: string): Example[] {
  const examples: Example[] = [];
  const lines = text.split('\n');
  let inConsole = false;
  let current: Example | undefined;
  lines.forEach((line, i) => {
    if (line.startsWith('```')) {
      if (current) examples.push(current);
      current = undefined;
      inConsole = !inConsole && line.trim() === '```console';
      return;
    }
    if (!inConsole) return;
    if (line.startsWith('$ ')) {
      if (current) examples.push(current);
      const words = line.slice(2).split(/\s+/).filter(Boolean);
      if (words[0] !== 'kho-abi') throw new Error(`README.md:${i + 1}: console blocks run only kho-abi, without a shell`);
      current = { line: i + 1, args: words.slice(1), expected: '' };
    } else if (current) {
      current.expected += `${line}\n`;
    }
  });
  return examples;
}

const examples = readmeExamples(readFileSync(new URL('../README.md', import.meta.url), 'utf8'));

describe('README examples show real output', () => {
  it('has examples to check', () => {
    expect(examples.length).toBeGreaterThan(5);
  });

  it.each(examples.map((e) => [`README.md:${e.line} kho-abi ${e.args.join(' ')}`, e] as const))('%s', async (_name, e) => {
    const r = await runCli(e.args);
    expect(`${r.stdout}${r.stderr}`.trimEnd()).toBe(e.expected.trimEnd());
  });
});
