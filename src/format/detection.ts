import type { Detection } from '../detect/detect.js';
import { stringifyJson } from './json.js';

/** The `detect` report: candidates best first with their reasons, then the notes on ids with identical bytes. */
export function formatDetection(file: string, d: Detection): string {
  if (d.candidates.length === 0) return `${file}: consistent with no known id (every id has an error finding; run validate --abi ID to see them)`;
  const lines = [`${file}: consistent with ${d.candidates.length} id${d.candidates.length === 1 ? '' : 's'}, best first`];
  d.candidates.forEach((c, i) => {
    lines.push(`  ${i + 1}. ${c.abi}`);
    for (const r of c.reasons) lines.push(`       - ${r}`);
  });
  for (const n of d.notes) lines.push(`note: ${n}`);
  return lines.join('\n');
}

/** The `detect --json` object: `{ candidates: [ { abi, reasons } ], notes }`. */
export function detectionJson(d: Detection): string {
  return stringifyJson({ candidates: d.candidates.map(({ abi, reasons }) => ({ abi, reasons })), notes: d.notes });
}
