import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/findings.js';
import { plausibleBytesArb } from '../../src/fuzz/arbitraries.js';
import { abis } from '../../src/registry.js';
import { CheckContext } from '../../src/validate/context.js';
import { planOf } from '../../src/validate/layout-plan.js';
import { NONE } from '../../src/validate/rule.js';
import { rulesFor } from '../../src/validate/rules-for.js';
import { numRuns } from '../property/runs.js';

const inline = abis.filter((a) => a.storage === 'inline');

/** Every rule in a plain loop, each asked for its count by rule: what the compiled runner must equal. */
function reference(ctx: CheckContext, limit: number): Finding[] {
  const findings: Finding[] = [];
  for (const rule of rulesFor(ctx.abi)) {
    const issues = rule.check(ctx, rule.scan ? ctx.entries?.counted(rule) : undefined);
    if (issues === NONE) continue;
    let n = 0;
    for (const issue of issues) if (n++ < limit) findings.push({ rule: rule.id, severity: rule.severity, ...issue });
    if (n > limit) findings.push({ rule: rule.id, severity: rule.severity, message: `${n - limit} more finding${n - limit === 1 ? '' : 's'} of this rule not shown (${n} in all)`, folded: n - limit });
  }
  return findings;
}

describe('the compiled rule runner (src/validate/rule-runner.ts)', () => {
  it.each(inline.map((a) => [a.id, a] as const))('%s: finds what every rule run in a plain loop finds, folded alike', (_id, abi) => {
    fc.assert(
      fc.property(plausibleBytesArb(abi), fc.constantFrom(1, 2, 20, Infinity), (bytes, limit) => {
        expect(planOf(abi).runner.run(new CheckContext(abi, bytes), limit)).toEqual(reference(new CheckContext(abi, bytes), limit));
      }),
      { numRuns },
    );
  });

  it.each(abis.map((a) => [a.id, a] as const))('%s: the compiled runner is readable: one call per rule, named, in rule order', (_id, abi) => {
    const lines = planOf(abi).runner.source.split('\n').filter((l) => l.includes('.check('));
    expect(lines.map((l) => /\/\/ (\w+)$/.exec(l)?.[1])).toEqual(rulesFor(abi).map((r) => r.id));
    for (const [r, rule] of rulesFor(abi).entries()) {
      expect(lines[r]).toContain(`rules[${r}].check(ctx, ${rule.scan ? `facts?.${rule.id}` : 'undefined'})`);
    }
    // The entries are scanned once, before the first rule, when any rule counts on the scan.
    expect(planOf(abi).runner.source.includes('const facts = ctx.entries;')).toBe(rulesFor(abi).some((r) => r.scan));
  });
});
