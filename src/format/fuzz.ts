import type { FuzzReport } from '../fuzz/fuzz.js';

/** The fuzz report as text (deterministic for a seed: no timings) or JSON (with timings). */
export function formatFuzz(report: FuzzReport, format: 'text' | 'json'): string {
  if (format === 'json') {
    return JSON.stringify({ ...report, casesPerSecond: Math.round(report.cases / Math.max(report.seconds, 1e-9)) }, null, 2);
  }
  const width = Math.max(...report.ids.map((r) => r.abi.length));
  const lines = [`seed ${report.seed}, ${report.runs === null ? 'until the time is up' : `${report.runs} cases per id`}`];
  for (const r of report.ids) {
    const made = Object.entries(r.made).map(([k, n]) => `${k} ${n}`).join(', ');
    lines.push(`${r.abi.padEnd(width)}  ${String(r.cases).padStart(7)} cases  ${r.failure ? 'FAILED' : 'ok'}${r.interrupted ? ' (time up)' : ''}`);
    lines.push(`  ${made}`);
    const f = r.failure;
    if (!f) continue;
    lines.push(
      `  property: ${f.problem}`,
      `  made by: ${f.made}; seed ${f.seed}, path ${f.path}`,
      `  replay: kho-abi fuzz --abi ${f.abi} --seed ${f.seed} --path ${f.path}`,
      `  counterexample (shrunk, ${f.hex.length / 2} bytes${f.rootAddress ? `, an ELF core with pci_ser at ${f.rootAddress}, page size ${f.pageSize}` : ''}):`,
      ...(f.hex.match(/.{1,64}/g) ?? ['']).map((l) => `    ${l}`),
    );
  }
  lines.push(`${report.cases} cases, ${report.failures ? `${report.failures} id${report.failures === 1 ? '' : 's'} FAILED` : 'no failure'}`);
  return lines.join('\n');
}
