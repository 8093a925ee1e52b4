import { toJson } from '../codec/json.js';
import type { FlbInspection } from '../luo-flb/inspect-flb.js';
import { formatDecoded } from './decoded.js';

const hex = (v: bigint) => `0x${v.toString(16)}`;

/**
 * `inspect` text: the FLB table, then every PCI entry read under each id of its compat string.
 * The table's findings go to `findings` as compiler-style lines (the CLI prints them on stderr).
 */
export function formatInspection(r: FlbInspection, file: string, findings: string[]): string {
  const { table } = r;
  const out = [`LUO FLB table @ ${hex(table.address)}: pgcnt ${table.pgcnt}, count ${table.count} (capacity ${table.capacity})`];
  const width = Math.max(4, ...table.entries.map((e) => JSON.stringify(e.name).length));
  const indexWidth = `[${Math.max(0, table.entries.length - 1)}]`.length;
  let empty = 0;
  const flushEmpty = () => {
    if (empty) out.push(`  … ${empty} empty entr${empty === 1 ? 'y' : 'ies'} (no name, data 0)`);
    empty = 0;
  };
  for (const e of table.entries) {
    if (e.name === '' && e.data === 0n && e.count === 0n) {
      empty++;
      continue;
    }
    flushEmpty();
    const pci = r.pci.some((p) => p.entry === e) ? '  PCI' : '';
    out.push(`  ${`[${e.index}]`.padEnd(indexWidth)} ${JSON.stringify(e.name).padEnd(width)}  data ${hex(e.data).padEnd(12)}  files ${e.count}${pci}`);
  }
  flushEmpty();
  for (const f of table.findings) findings.push(`${file}:${hex(table.address + BigInt(f.offset ?? 0))}: error[${f.rule}]: ${f.message}`);
  for (const p of r.pci) {
    out.push('', `FLB "${p.entry.name}" (entry ${p.entry.index}) -> struct pci_ser @ ${hex(p.entry.data)}:`);
    for (const reading of p.readings) {
      out.push(`  ${reading.abi}: ${reading.consistent ? 'consistent' : 'NOT consistent'} (${reading.reasons.join('; ')})`);
    }
    for (const reading of p.readings) {
      if (!reading.consistent || !reading.decoded) continue;
      out.push('', ...formatDecoded(reading.decoded).split('\n').map((l) => `    ${l}`));
    }
  }
  if (!r.pci.length) out.push('', 'no entry is named by a PCI compat string');
  return out.join('\n');
}

/** `inspect --json`: the table with its entries and findings, and each PCI blob as decode --json prints it. */
export function inspectionJson(r: FlbInspection) {
  const { table } = r;
  return {
    table: {
      address: hex(table.address),
      pageSize: table.pageSize,
      pgcnt: table.pgcnt.toString(),
      count: table.count.toString(),
      capacity: table.capacity,
      entries: table.entries.map((e) => ({ index: e.index, name: e.name, terminated: e.terminated, data: hex(e.data), count: e.count.toString() })),
    },
    findings: table.findings.map((f) => ({ rule: f.rule, severity: f.severity, message: f.message, offset: f.offset, ...(f.index !== undefined ? { index: f.index } : {}) })),
    pci: r.pci.map((p) => ({
      entry: p.entry.index,
      name: p.entry.name,
      data: hex(p.entry.data),
      readings: p.readings.map((x) => ({ abi: x.abi, consistent: x.consistent, reasons: x.reasons, decoded: x.decoded ? toJson(x.decoded) : null })),
    })),
  };
}
