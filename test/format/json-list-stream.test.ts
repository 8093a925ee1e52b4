import type { Result } from 'sarif';
import { describe, expect, it } from 'vitest';
import { findingsSarif, sarifLog } from '../../src/format/findings.js';
import { JsonListStream } from '../../src/format/json-list-stream.js';
import { stringifyJson } from '../../src/format/json.js';
import type { Finding, RuleMeta } from '../../src/findings.js';

/** The text a writer prints for the pieces: each piece, then a newline. */
function printed<T>(stream: JsonListStream<T>, elements: readonly T[]): string {
  const pieces = [...elements.map((e) => stream.add(e)), stream.end()];
  return pieces.map((p) => `${p.join('')}\n`).join('');
}

const elements: object[] = [{ file: 'a.bin', valid: true, findings: [] }, { file: 'b.bin', valid: false, findings: [{ rule: 'X', offset: 8n }] }, { deep: { list: [1, 2], more: [{ a: 1 }] } }];

describe('JsonListStream', () => {
  it.each([0, 1, 2, 3])('%i elements: the text stringifyJson gives for the whole document, at the top level', (n) => {
    const list = elements.slice(0, n);
    expect(printed(new JsonListStream<object>((l) => l), list)).toBe(`${stringifyJson(list)}\n`);
  });

  it.each([0, 1, 2, 3])('%i elements: the text of the whole document, nested in objects and arrays', (n) => {
    const doc = (l: object[]) => ({ version: 1, runs: [{ tool: { name: 't', rules: [{ id: 'X' }] }, results: l, after: { n: 2n } }] });
    const list = elements.slice(0, n);
    expect(printed(new JsonListStream(doc), list)).toBe(`${stringifyJson(doc(list))}\n`);
  });

  it('holds one element back (its comma waits for the next), never the list', () => {
    const stream = new JsonListStream<object>((l) => ({ results: l }));
    expect(stream.add({ a: 1 })).toEqual(['{\n  "results": [']);
    expect(stream.add({ b: 2 }).join('')).toBe('    { "a": 1 },');
    expect(stream.end().join('')).toBe('    { "b": 2 }\n  ]\n}');
  });

  it('a SARIF log written result by result is the log findingsSarif gives', () => {
    const rules: RuleMeta[] = [{ id: 'DUPLICATE_DEVICE', severity: 'error', description: 'two entries name one device' }];
    const tool = { name: 'kho-abi', version: '1.0.0' };
    const findings = [0x10, 0x18].map((offset): Finding => ({ rule: 'DUPLICATE_DEVICE', severity: 'error', message: 'repeats', offset, length: 8, file: 'a.bin' }));
    const whole = findingsSarif(findings, rules, tool);
    const stream = new JsonListStream<Result>((results) => sarifLog(results, rules, tool));
    expect(printed(stream, whole.runs[0]!.results!)).toBe(`${stringifyJson(whole)}\n`);
  });
});
