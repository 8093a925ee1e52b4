import type fc from 'fast-check';
import type { RuleId } from '../findings.js';
import type { BaseCase } from './base-case.js';
import type { FuzzCase } from './fuzz-case.js';

/** A way to break (or reshape) a valid case; targeted ones name the rule the result must produce. */
export interface Mutator {
  readonly name: string;
  /** The rule every case it makes must be reported with (none: untargeted). */
  readonly rule?: RuleId;
  /** How often it is picked among the applicable ones (default 100). */
  readonly weight?: number;
  /** Whether it can work on this base (layout and contents). */
  applies(b: BaseCase): boolean;
  cases(b: BaseCase): fc.Arbitrary<FuzzCase>;
}
