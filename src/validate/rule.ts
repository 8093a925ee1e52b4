import type { RuleId } from '../errors.js';
import type { PciAbi } from '../registry.js';
import type { CheckContext } from './context.js';

/** How much a finding matters: errors make a blob invalid, warnings only with --strict. */
export type Severity = 'error' | 'warning';

/** One broken invariant in one blob (the `validate --format json` finding). */
export interface Finding {
  readonly rule: RuleId;
  readonly severity: Severity;
  readonly message: string;
  /** Byte offset in the blob, where the finding has one. */
  readonly offset?: number;
  /** Bytes the finding covers, from offset. */
  readonly length?: number;
  /** Storage index of the entry (slot) the finding is about. */
  readonly index?: number;
  /** A closing finding that stands for this many more of its rule, not shown (--max-per-rule). */
  readonly folded?: number;
}

/** What a rule says about a blob, before the runner stamps its id and severity. */
export type Issue = Omit<Finding, 'rule' | 'severity'>;

/**
 * A validation rule: one invariant a blob must keep, as a plain object.
 * `check` yields nothing for a blob that keeps the invariant.
 */
export interface Rule {
  readonly id: RuleId;
  readonly severity: Severity;
  /** One line: what the rule requires. */
  readonly doc: string;
  /** Whether the rule concerns blobs of this layout (by semantics, storage, version). */
  appliesTo(abi: PciAbi): boolean;
  check(ctx: CheckContext): Iterable<Issue>;
}

/** The empty result of a check that found nothing (shared, so a clean blob allocates nothing). */
export const NONE: readonly Issue[] = Object.freeze([]);
