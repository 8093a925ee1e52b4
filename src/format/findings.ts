import type { Log, ReportingDescriptor, Result } from 'sarif';
import { offsetText, type Finding, type RuleMeta } from '../findings.js';

function where(f: Finding): string {
  const file = f.file ?? '<input>';
  if (f.line !== undefined) return `${file}:${f.line}:${f.column ?? 1}`;
  return f.offset !== undefined ? `${file}:${offsetText(f.offset)}` : file;
}

/** One compiler-style line: `file:0xOFFSET: error[RULE]: message` (or `file:line:col:` for headers). */
export function findingText(f: Finding): string {
  return `${where(f)}: ${f.severity}[${f.rule}]: ${f.message}${f.suppressed ? ' (suppressed)' : ''}`;
}

/** Compiler-style lines, one per finding (findingText). */
export function formatFindingsText(findings: readonly Finding[]): string {
  return findings.map(findingText).join('\n');
}

function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** One GitHub Actions workflow command: `::error file=…,line=…,title=RULE::message`. */
export function findingGithub(f: Finding): string {
  const level = f.suppressed || f.severity === 'info' ? 'notice' : f.severity;
  const props = [
    f.file !== undefined ? `file=${escapeProperty(f.file)}` : '',
    f.line !== undefined ? `line=${f.line}` : '',
    f.column !== undefined ? `col=${f.column}` : '',
    `title=${escapeProperty(f.rule)}`,
  ].filter(Boolean);
  const at = f.line === undefined && f.offset !== undefined ? ` (at ${offsetText(f.offset)})` : '';
  return `::${level} ${props.join(',')}::${escapeData(f.message + at)}`;
}

/** GitHub Actions workflow commands, one per finding (findingGithub). */
export function formatFindingsGithub(findings: readonly Finding[]): string {
  return findings.map(findingGithub).join('\n');
}

const SARIF_LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const;

/** Where each rule sits in tool.driver.rules of a SARIF log (sarifResult's `ruleIndex`). */
export function sarifRuleIndex(rules: readonly RuleMeta[]): ReadonlyMap<string, number> {
  return new Map(rules.map((r, i) => [r.id, i]));
}

/** A SARIF 2.1.0 log around `results`, with the rule metadata in tool.driver.rules. */
export function sarifLog(results: Result[], rules: readonly RuleMeta[], tool: { name: string; version: string; informationUri?: string }): Log {
  const descriptors: ReportingDescriptor[] = rules.map((r) => ({
    id: r.id,
    shortDescription: { text: r.description },
    defaultConfiguration: { level: SARIF_LEVEL[r.severity] },
    ...(r.category ? { properties: { category: r.category } } : {}),
  }));
  return {
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [{ tool: { driver: { name: tool.name, version: tool.version, ...(tool.informationUri ? { informationUri: tool.informationUri } : {}), rules: descriptors } }, results }],
  };
}

/** One finding as a SARIF result: byte-offset or line region, its rule's index in `ruleIndex`. */
export function sarifResult(f: Finding, ruleIndex: ReadonlyMap<string, number>): Result {
  const region =
    f.line !== undefined
      ? { startLine: f.line, ...(f.column !== undefined ? { startColumn: f.column } : {}) }
      : f.offset !== undefined
        ? { byteOffset: f.offset, ...(f.length !== undefined ? { byteLength: f.length } : {}) }
        : undefined;
  const index = ruleIndex.get(f.rule);
  return {
    ruleId: f.rule,
    ...(index !== undefined ? { ruleIndex: index } : {}),
    level: SARIF_LEVEL[f.severity],
    message: { text: f.message },
    ...(f.file !== undefined
      ? { locations: [{ physicalLocation: { artifactLocation: { uri: encodeURI(f.file) }, ...(region ? { region } : {}) } }] }
      : {}),
    ...(f.suppressed ? { suppressions: [{ kind: 'external' as const }] } : {}),
  };
}

/** A SARIF 2.1.0 log: rule metadata in tool.driver.rules, byte-offset or line regions. */
export function findingsSarif(
  findings: readonly Finding[],
  rules: readonly RuleMeta[],
  tool: { name: string; version: string; informationUri?: string },
): Log {
  const index = sarifRuleIndex(rules);
  return sarifLog(findings.map((f) => sarifResult(f, index)), rules, tool);
}
