import type { Result } from 'sarif';
import type { ValidationResult } from '../validate/validate.js';
import type { Finding, RuleMeta } from '../findings.js';
import { findingGithub, findingText, sarifLog, sarifResult, sarifRuleIndex } from './findings.js';
import { JsonListStream } from './json-list-stream.js';
import { jsonChunks } from './json.js';

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

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Lines as one piece of text (the writer ends it with a newline); undefined for none. */
function linesPiece(lines: readonly string[]): string[] | undefined {
  return lines.length ? [lines.join('\n')] : undefined;
}

/**
 * The `validate` report in one format (compiler-style text, JSON, GitHub annotations, SARIF 2.1.0),
 * written as the blobs are validated: `add` gives the text due for each blob, `end` the rest. Each
 * piece is printed as lines (the writer ends it with a newline). It keeps counts, never the results,
 * so memory does not grow with the number of blobs.
 */
export class ValidationReport {
  private blobs = 0;
  private invalid = 0;
  private errors = 0;
  private warnings = 0;
  private first = '';
  private readonly list: JsonListStream<object> | undefined;
  private readonly ruleIndex: ReadonlyMap<string, number>;

  constructor(
    private readonly format: ValidationFormat,
    private readonly info: ValidationReportInfo,
  ) {
    this.ruleIndex = sarifRuleIndex(info.rules);
    this.list =
      format === 'sarif'
        ? new JsonListStream<Result>((results) => sarifLog(results, info.rules, info.tool))
        : format === 'json' && info.many
          ? new JsonListStream<object>((items) => items)
          : undefined;
  }

  /** One more validated blob: the text to print now, or undefined. */
  add(r: FileResult): Iterable<string> | undefined {
    if (this.blobs++ === 0) this.first = r.file;
    if (!r.valid) this.invalid++;
    // A folded finding stands for the findings of its rule that were not shown.
    for (const f of r.findings) {
      if (f.severity === 'error') this.errors += f.folded ?? 1;
      else if (f.severity === 'warning') this.warnings += f.folded ?? 1;
    }
    const findings = () => r.findings.map((f) => ({ ...f, file: r.file }));
    switch (this.format) {
      case 'json': {
        const one = { valid: r.valid, findings: r.findings.map(findingJson) };
        return this.list ? this.list.add({ file: r.file, ...one }) : jsonChunks(one);
      }
      case 'sarif':
        return linesPiece(findings().map((f) => this.list!.add(sarifResult(f, this.ruleIndex)).join('')));
      case 'github':
        return linesPiece(findings().map(findingGithub));
      default:
        return linesPiece(findings().map(findingText));
    }
  }

  /** The text after the last blob, or undefined: the closing of the JSON document, or the summary line of the text report. */
  end(): Iterable<string> | undefined {
    if (this.list) return this.list.end();
    if (this.format !== 'text') return undefined;
    const verdict = this.blobs === 1 ? (this.invalid ? 'invalid' : 'valid') : `${this.invalid} invalid`;
    return [`${this.blobs === 1 ? this.first : plural(this.blobs, 'blob')} under ${this.info.abi}: ${verdict} (${plural(this.errors, 'error')}, ${plural(this.warnings, 'warning')})`];
  }
}
