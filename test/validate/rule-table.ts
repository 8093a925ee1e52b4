import { describe, expect, it } from 'vitest';
import { validate, type Rule } from '../../src/validate/index.js';
import { makeBlob, type BlobSpec } from './blob.js';

/** A case of a rule table: a blob under an id, and what the rule must say of it. */
export interface RuleCase {
  readonly name: string;
  readonly abi: string;
  readonly blob: BlobSpec | Uint8Array;
}

/** An invalid case: the findings of the rule it must produce (offset/index/message fragment). */
export interface InvalidCase extends RuleCase {
  readonly expect: ReadonlyArray<{ offset?: number; index?: number; message?: RegExp }>;
}

/** Table-driven test of one rule: no finding of it on valid cases; exactly the expected ones on invalid cases. */
export function ruleTable(rule: Rule, valid: readonly RuleCase[], invalid: readonly InvalidCase[]): void {
  const bytesOf = (c: RuleCase) => (c.blob instanceof Uint8Array ? c.blob : makeBlob(c.abi, c.blob));
  const mine = (c: RuleCase) => validate(bytesOf(c), c.abi, { maxPerRule: 1000 }).findings.filter((f) => f.rule === rule.id);
  describe(rule.id, () => {
    it.each(valid.map((c) => [c.name, c] as const))('valid: %s', (_n, c) => {
      expect(mine(c)).toEqual([]);
    });
    it.each(invalid.map((c) => [c.name, c] as const))('invalid: %s', (_n, c) => {
      const got = mine(c);
      expect(got).toHaveLength(c.expect.length);
      c.expect.forEach((e, i) => {
        const f = got[i]!;
        expect(f.severity).toBe(rule.severity);
        if (e.offset !== undefined) expect(f.offset).toBe(e.offset);
        if (e.index !== undefined) expect(f.index).toBe(e.index);
        if (e.message) expect(f.message).toMatch(e.message);
      });
    });
  });
}
