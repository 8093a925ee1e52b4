import type { Finding } from '../findings.js';
import type { PciAbi } from '../registry.js';
import { NONE, type Issue, type Rule, type RuleContext } from './rule.js';
import { rulesFor } from './rules-for.js';

/** A layout's compiled rule runner: its JavaScript, and the run (at most `limit` findings per rule, plus one counting the rest). */
export interface RuleRunner {
  readonly source: string;
  run(ctx: RuleContext, limit: number): Finding[];
}

/** Compile the runner of every rule that applies to a layout. */
export function compileRunner(abi: PciAbi): RuleRunner {
  const list = rulesFor(abi);
  const source = runnerBody(abi, list);
  // Only rule indexes and ids go into the source; the rules themselves are passed in.
  const run = new Function('rules', 'NONE', 'collect', `return function run(ctx, limit) {\n${source}\n};`)(list, NONE, collect) as RuleRunner['run'];
  return { source, run };
}

/**
 * The rules of one layout called in turn, one call site per rule: each site always calls the
 * same check, so V8 can inline it, where a loop over the rules calls a different one each time.
 * A rule with a scan gets its count from the facts, by its id (the entries are scanned once, first).
 */
function runnerBody(abi: PciAbi, list: readonly Rule[]): string {
  return [
    `// ${abi.id}: every rule that applies, in order`,
    'const findings = [];',
    'let issues;',
    ...(list.some((r) => r.scan) ? ['const facts = ctx.entries;'] : []),
    ...list.flatMap((rule, r) => [
      `issues = rules[${r}].check(ctx, ${rule.scan ? `facts?.${rule.id}` : 'undefined'}); // ${rule.id}`,
      `if (issues !== NONE) collect(findings, rules[${r}], issues, limit);`,
    ]),
    'return findings;',
  ].join('\n');
}

/** A rule's issues as findings (its id and severity stamped on): the first `limit`, then one that counts the rest. */
function collect(findings: Finding[], rule: Rule, issues: Iterable<Issue>, limit: number): void {
  let n = 0;
  for (const issue of issues) {
    if (n++ < limit) findings.push({ rule: rule.id, severity: rule.severity, ...issue });
  }
  if (n > limit) {
    findings.push({ rule: rule.id, severity: rule.severity, message: `${n - limit} more finding${n - limit === 1 ? '' : 's'} of this rule not shown (${n} in all)`, folded: n - limit });
  }
}
