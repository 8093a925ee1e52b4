import { UsageError } from '../errors.js';
import { isAbiDiffRule } from './rules.js';

/**
 * One suppression: a rule (or `*`) and optionally where (`STRUCT` or `STRUCT.MEMBER`, `*` allowed).
 * File format, one a line, `#` starts a comment:
 *   RULE [STRUCT[.MEMBER]] [# reason]
 * e.g. `FIELD_DOC_CHANGED pci_dev_ser.refcount  # wording only`.
 */
export interface Suppression {
  readonly rule: string;
  readonly struct?: string;
  readonly field?: string;
}

/** Parse a suppression file (format above); a bad line is a UsageError naming it. */
export function parseSuppressions(text: string, file: string): Suppression[] {
  const out: Suppression[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) return;
    const [rule, where, extra] = line.split(/\s+/);
    if (extra !== undefined || !rule || (rule !== '*' && !isAbiDiffRule(rule))) {
      throw new UsageError(`expected "RULE [STRUCT[.MEMBER]]" with a known abi-diff rule, got "${line}"`, `${file}:${i + 1}`);
    }
    const [struct, field] = where ? where.split('.', 2) : [];
    out.push({ rule, ...(struct ? { struct } : {}), ...(field ? { field } : {}) });
  });
  return out;
}

const fits = (pattern: string | undefined, value: string | undefined) => pattern === undefined || pattern === '*' || pattern === value;

/** Whether a finding is suppressed. */
export function isSuppressed(list: readonly Suppression[], f: { rule: string; struct?: string; field?: string }): boolean {
  return list.some((s) => fits(s.rule, f.rule) && fits(s.struct, f.struct) && fits(s.field, f.field));
}
