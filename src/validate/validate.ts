import type { Finding, RuleMeta } from '../findings.js';
import { blobBytes, type BlobBytes } from '../codec/blob-bytes.js';
import { getAbi, type AbiName } from '../registry.js';
import { CheckContext, type ValidateOptions } from './context.js';
import { rules } from './rules/index.js';

/** Options of validate(): the context's, plus whether warnings make a blob invalid. */
export interface ValidationOptions extends ValidateOptions {
  /** Warnings count as errors (`--strict`). */
  readonly strict?: boolean;
}

/** The verdict on one blob: valid when no error (no finding at all with strict). */
export interface ValidationResult {
  readonly valid: boolean;
  readonly findings: readonly Finding[];
}

const DEFAULT_MAX_PER_RULE = 20;
/** The options of a call that gives none (shared: a clean validation allocates as little as it can). */
const NO_OPTIONS: ValidationOptions = Object.freeze({});
/** Every rule as the reports describe it (SARIF tool.driver.rules). */
export function ruleMetadata(): RuleMeta[] {
  return rules.map((r) => ({ id: r.id, severity: r.severity, description: r.doc }));
}

/** Check a blob against every validation rule that applies to the id; bad bytes are findings, never exceptions. */
export function validate<S extends string>(bytes: BlobBytes, abi: AbiName<S>, options: ValidationOptions = NO_OPTIONS): ValidationResult {
  return verdict(runRules(new CheckContext(getAbi(abi as string), blobBytes(bytes), options)), options);
}

/** The verdict on a context's findings: valid when no error (no finding at all with strict), findings in blob order. */
export function verdict(findings: Finding[], options: Pick<ValidationOptions, 'strict'> = {}): ValidationResult {
  if (findings.length === 0) return { valid: true, findings };
  const valid = !options.strict && findings.every((f) => f.severity === 'warning');
  return { valid, findings: sortByOffset(findings) };
}

/** Every applicable rule's findings on one context, in rule order, at most maxPerRule each (0: all) plus one standing for the rest. */
export function runRules(ctx: CheckContext): Finding[] {
  const max = ctx.options.maxPerRule ?? DEFAULT_MAX_PER_RULE;
  return ctx.plan.runner.run(ctx, max === 0 ? Infinity : max);
}

/** Findings in blob order; the "more findings" summaries (no offset) go last. */
function sortByOffset(findings: Finding[]): Finding[] {
  return findings.sort((a, b) => (a.offset ?? Number.MAX_VALUE) - (b.offset ?? Number.MAX_VALUE));
}
