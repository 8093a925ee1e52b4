import type { ValidationResult } from '../validate/validate.js';
import type { Finding, RuleMeta } from '../findings.js';
import { findingsSarif, formatFindingsGithub, formatFindingsText } from './findings.js';
import { stringifyJson } from './json.js';

/** The output formats of `validate`. */
export type ValidationFormat = 'text' | 'json' | 'github' | 'sarif';

/** One validated blob: the file it came from and the verdict. */
export interface FileResult extends ValidationResult {
  readonly file: string;
}

/** What the reports need besides the results. */
export interface ValidationReportInfo {
  readonly abi: string;
  readonly rules: readonly RuleMeta[];
  readonly tool: { name: string; version: string };
  /** Print the array form (several blobs, or a directory) even for one result. */
  readonly many: boolean;
}

/** A finding as the JSON reports give it: `{ rule, severity, message, offset?, index? }`. */
export function findingJson({ rule, severity, message, offset, index }: Finding) {
  return { rule, severity, message, offset, index };
}

function reportFindings(results: readonly FileResult[]): Finding[] {
  return results.flatMap((r) => r.findings.map((f) => ({ ...f, file: r.file })));
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The closing line of the text report: how many blobs, how many of them invalid. */
function summary(results: readonly FileResult[], abi: string): string {
  // A folded finding stands for the findings of its rule that were not shown.
  const count = (s: string) => results.reduce((n, r) => n + r.findings.reduce((k, f) => k + (f.severity === s ? (f.folded ?? 1) : 0), 0), 0);
  const invalid = results.filter((r) => !r.valid).length;
  const verdict = results.length === 1 ? (invalid ? 'invalid' : 'valid') : `${invalid} invalid`;
  return `${results.length === 1 ? results[0]!.file : plural(results.length, 'blob')} under ${abi}: ${verdict} (${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')})`;
}

/** The `validate` report in one format: compiler-style text, JSON, GitHub annotations, SARIF 2.1.0. */
export function formatValidation(results: readonly FileResult[], format: ValidationFormat, info: ValidationReportInfo): string {
  switch (format) {
    case 'json': {
      const one = (r: FileResult) => ({ valid: r.valid, findings: r.findings.map(findingJson) });
      return stringifyJson(info.many ? results.map((r) => ({ file: r.file, ...one(r) })) : one(results[0]!));
    }
    case 'github':
      return formatFindingsGithub(reportFindings(results));
    case 'sarif':
      return stringifyJson(findingsSarif(reportFindings(results), info.rules, info.tool));
    default: {
      const lines = formatFindingsText(reportFindings(results));
      return `${lines ? `${lines}\n` : ''}${summary(results, info.abi)}`;
    }
  }
}
