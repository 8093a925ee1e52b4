import type { HeaderDiff } from '../abi-diff/abi-diff.js';
import { ABI_DIFF_RULES, categoryOf } from '../abi-diff/rules.js';
import { findingsSarif, formatFindingsGithub, formatFindingsText } from './findings.js';

/** The output formats of abi-diff. */
export type AbiDiffFormat = 'text' | 'json' | 'github' | 'sarif';

/** What abi-diff reports: one HeaderDiff per header, and how many headers were looked at. */
export interface AbiDiffReport {
  readonly diffs: readonly HeaderDiff[];
  /** Headers checked in range mode (for the summary line). */
  readonly checked?: number;
  readonly added?: readonly string[];
}

const hasError = (d: HeaderDiff) => d.findings.some((f) => f.severity === 'error');

/** check-uapi.sh-like text: one `==== ABI differences detected in X from A -> B ====` block per header, then a summary. */
function text(r: AbiDiffReport): string {
  const out: string[] = [];
  for (const d of r.diffs) {
    if (d.findings.length === 0) continue;
    out.push(`==== ABI differences detected in ${d.header} from ${d.from} -> ${d.to} ====`);
    out.push(...formatFindingsText(d.findings).split('\n').map((l) => `  ${l}`));
    out.push('==================================================', '');
  }
  for (const a of r.added ?? []) out.push(`new header ${a}: nothing to compare with`);
  for (const note of r.diffs.flatMap((d) => d.notes ?? [])) out.push(`note: ${note}`);
  const broken = r.diffs.filter(hasError).length;
  const total = r.checked ?? r.diffs.length;
  const unchecked = r.diffs.some((d) => d.notes?.length);
  if (unchecked && !broken) out.push(r.diffs.some((d) => d.findings.length) ? 'layout changes found (compat rules not checked)' : r.diffs.map((d) => `No ABI differences in ${d.header} from ${d.from} -> ${d.to}`).join('\n'));
  else if (broken) out.push(`error - ${broken}/${total} KHO ABI header${total === 1 ? '' : 's'} appear _not_ to be backwards compatible (compat string not bumped)`);
  else if (r.diffs.some((d) => d.findings.length)) out.push(`${total} KHO ABI header${total === 1 ? '' : 's'} checked: changes found, each covered by a compat bump or allowed`);
  else if (r.checked === undefined) out.push(...r.diffs.map((d) => `No ABI differences in ${d.header} from ${d.from} -> ${d.to}`));
  else out.push(`All ${total} KHO ABI header${total === 1 ? '' : 's'} checked appear to be backwards compatible`);
  return out.join('\n');
}

/** Render an abi-diff report in one of its formats. */
export function formatAbiDiff(r: AbiDiffReport, format: AbiDiffFormat, tool: { name: string; version: string }): string {
  const findings = r.diffs.flatMap((d) => d.findings);
  switch (format) {
    case 'text':
      return text(r);
    case 'github':
      return formatFindingsGithub(findings);
    case 'sarif':
      return JSON.stringify(findingsSarif(findings, ABI_DIFF_RULES, tool), null, 2);
    case 'json':
      return JSON.stringify(
        {
          findings: findings.map(({ rule, severity, header, struct, field, message, file, line, column, suppressed }) => ({
            rule, category: categoryOf(rule), severity, header, struct, field, message, file, line, column, suppressed,
          })),
          headers: r.diffs.map(({ header, from, to, bumped, notes }) => ({ header, from, to, bumped, ...(notes ? { notes } : {}) })),
          ...(r.added ? { added: r.added } : {}),
        },
        null,
        2,
      );
  }
}
