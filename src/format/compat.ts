import type { CompatOutcome, Outcome } from '../compat/compat-outcome.js';

const LETTER: Record<Outcome, string> = { accepted: 'A', dropped: 'D', misparsed: 'M', refused: 'R', semantics: 'S' };

/** One hand-over as text: the outcome line and how. */
export function formatCompatOutcome(o: CompatOutcome): string {
  return [`${o.from} -> ${o.to}: ${o.summary}`, ...o.details.map((d) => `  - ${d}`)].join('\n');
}

/** The writer x reader table with a legend. */
export function formatCompatMatrix(rows: readonly CompatOutcome[][]): string {
  const ids = rows.map((r) => r[0]!.from);
  const width = Math.max('writer \\ reader'.length - 6, ...ids.map((id) => id.length));
  const head = `${'writer \\ reader'.padEnd(width + 6)}${ids.map((_, i) => String(i + 1).padStart(3)).join('')}`;
  const lines = rows.map((r, i) => `${String(i + 1).padStart(2)}  ${ids[i]!.padEnd(width)}  ${r.map((o) => LETTER[o.outcome].padStart(3)).join('')}`);
  return [
    head,
    ...lines,
    '',
    'A accepted   D devices silently dropped (compat string mismatch)   M misparsed (same string, other bytes)',
    'R refused (version mismatch: panic)   S same string and bytes, different semantics',
    'Rows: the kernel that writes the blob; columns: the kernel that reads it after kexec (numbers as in the rows).',
    'kho-abi compat FROM TO explains one cell.',
  ].join('\n');
}

/** The matrix as JSON: ids, and one `{ from, to, outcome, summary }` per pair. */
export function compatMatrixJson(rows: readonly CompatOutcome[][]) {
  return { ids: rows.map((r) => r[0]!.from), pairs: rows.flat() };
}
