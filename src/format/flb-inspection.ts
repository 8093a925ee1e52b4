import { toLazyJson } from '../codec/json.js';
import type { FlbInspection, PciFlb, PciReading } from '../luo-flb/inspect-flb.js';
import { decodedLines } from './decoded.js';

const hex = (v: bigint) => `0x${v.toString(16)}`;

/**
 * `inspect` text, one line at a time: the FLB table, then every PCI entry read under each id of its
 * compat string (device lines as decode prints them, never one string). The table's findings go to
 * `findings` as compiler-style lines as they are met (the CLI prints them on stderr after the report).
 */
export function* inspectionLines(r: FlbInspection, file: string, findings: string[]): Generator<string> {
  const { table } = r;
  yield `LUO FLB table @ ${hex(table.address)}: pgcnt ${table.pgcnt}, count ${table.count} (capacity ${table.capacity})`;
  const width = Math.max(4, ...table.entries.map((e) => JSON.stringify(e.name).length));
  const indexWidth = `[${Math.max(0, table.entries.length - 1)}]`.length;
  let empty = 0;
  const emptyLine = () => `  … ${empty} empty entr${empty === 1 ? 'y' : 'ies'} (no name, data 0)`;
  for (const e of table.entries) {
    if (e.name === '' && e.data === 0n && e.count === 0n) {
      empty++;
      continue;
    }
    if (empty) yield emptyLine();
    empty = 0;
    const pci = r.pci.some((p) => p.entry === e) ? '  PCI' : '';
    yield `  ${`[${e.index}]`.padEnd(indexWidth)} ${JSON.stringify(e.name).padEnd(width)}  data ${hex(e.data).padEnd(12)}  files ${e.count}${pci}`;
  }
  if (empty) yield emptyLine();
  for (const f of table.findings) findings.push(`${file}:${hex(table.address + BigInt(f.offset ?? 0))}: error[${f.rule}]: ${f.message}`);
  for (const p of r.pci) {
    yield '';
    yield `FLB "${p.entry.name}" (entry ${p.entry.index}) -> struct pci_ser @ ${hex(p.entry.data)}:`;
    yield* readingLines(p);
    for (const reading of p.readings) {
      if (!reading.consistent || !reading.decoded) continue;
      yield '';
      for (const line of decodedLines(reading.decoded)) yield `    ${line}`;
    }
  }
  if (!r.pci.length) {
    yield '';
    yield 'no entry is named by a PCI compat string';
  }
}

/**
 * One line per id the entry was read under; when one id reads it consistently, the ids of the same
 * compat string that only the blob's version field rules out share one line (JSON keeps each).
 */
function readingLines(p: PciFlb): string[] {
  const fit = p.readings.find((r) => r.consistent);
  const otherVersion = (r: PciReading) => !r.consistent && r.findings.some((f) => f.rule === 'VERSION_MISMATCH') && r.findings.every((f) => f.rule === 'VERSION_MISMATCH' || f.severity !== 'error');
  const others = fit ? p.readings.filter(otherVersion) : [];
  const lines = p.readings.filter((r) => !others.includes(r)).map((r) => `  ${r.abi}: ${r.consistent ? 'consistent' : 'NOT consistent'} (${r.reasons.join('; ')})`);
  if (others.length > 0) {
    const version = fit!.decoded?.layout.version;
    const which = version === undefined ? 'its version' : `version = ${version}`;
    lines.push(`  other versions of "${p.entry.name}": NOT consistent (VERSION_MISMATCH: ${which} is not their PCI_LUO_FLB_VERSION, and their readers panic on any other)`);
  }
  return lines;
}

/** `inspect --json`: the table with its entries and findings, and each PCI blob as decode --json prints it (devices read as jsonChunks renders them). */
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
      readings: p.readings.map((x) => ({ abi: x.abi, consistent: x.consistent, reasons: x.reasons, decoded: x.decoded ? toLazyJson(x.decoded) : null })),
    })),
  };
}
