import { toLazyJson } from '../codec/json.js';
import { MAX_FDT_CANDIDATES, type Discovery } from '../discovery/discover.js';
import type { DiscoveryFinding, KhoTree, PathStep } from '../discovery/types.js';
import { inspectionLines } from './flb-inspection.js';

const hex = (v: bigint) => `0x${v.toString(16)}`;

function describeStep(s: PathStep): string {
  const what =
    s.kind === 'kho-fdt' ? 'KHO FDT' : s.kind === 'luo-fdt' ? 'LUO FDT' : s.kind === 'luo-ser' ? (s.compatible === undefined ? 'struct luo_ser with feature header' : 'struct luo_ser') : 'FLB table';
  const parts = [
    ...(s.compatible !== undefined ? [JSON.stringify(s.compatible)] : []),
    what,
    ...(s.layout !== undefined || s.size !== undefined ? [`(${[s.layout, s.size !== undefined ? `${s.size} bytes` : undefined].filter(Boolean).join(', ')})`] : []),
    ...(s.via !== undefined ? [`<- ${s.via}`] : []),
  ];
  const num = s.liveupdateNum !== undefined ? `, liveupdate number ${s.liveupdateNum}` : '';
  return `${parts.join(' ')}${num}`;
}

function findingLine(f: DiscoveryFinding, images: string): string {
  const where = f.address !== undefined ? `${images}:${hex(f.address)}` : `${f.file ?? images}:0x${(f.offset ?? 0).toString(16)}`;
  return `${where}: ${f.severity}[${f.rule}]: ${f.message}`;
}

function* treeLines(t: KhoTree, rank: number, count: number, images: string, findings: string[]): Generator<string> {
  const at = t.address !== undefined ? `@ ${hex(t.address)}` : `from ${t.file}`;
  const role = t.role ? ` (${t.role}: ${t.roleReason})` : '';
  yield `${count > 1 ? `#${rank} ` : ''}KHO FDT ${at}: ${t.compatible === null ? 'unreadable' : JSON.stringify(t.compatible)}${role}`;
  for (const s of t.path) yield `  ${s.kind.padEnd(9)} ${(s.address !== undefined ? hex(s.address) : '-').padEnd(12)} ${describeStep(s)}`;
  if (t.duplicates.length) {
    const more = t.duplicates.length > 8 ? ` and ${t.duplicates.length - 8} more` : '';
    yield `  same bytes also at ${t.duplicates.slice(0, 8).map(hex).join(', ')}${more}`;
  }
  for (const n of t.notes) yield `  note: ${n}`;
  for (const f of t.findings) findings.push(findingLine(f, images));
  if (t.flb) {
    yield '';
    yield* inspectionLines(t.flb, images, findings);
  }
}

/**
 * `inspect` text without an FLB table address, one line at a time: how the trees were found, each
 * tree's path, then its FLB table and PCI blobs. Findings go to `findings` as compiler-style lines
 * as they are met (the CLI prints them on stderr after the report).
 */
export function* discoveryLines(d: Discovery, images: string, findings: string[]): Generator<string> {
  const n = d.trees.length;
  yield d.source === 'scan'
    ? `${n} KHO tree${n === 1 ? '' : 's'} found by scanning ${d.pagesScanned} page starts of ${images}${n > 1 ? ', best first' : ''}`
    : `KHO tree given with --kho-fdt, followed into ${images}`;
  for (const o of d.others) yield `  not a KHO tree: ${hex(o.address)} ${o.what}`;
  if (d.notExamined) yield `  ${d.notExamined} more FDT magic words not examined (at most ${MAX_FDT_CANDIDATES} are)`;
  for (const [i, t] of d.trees.entries()) {
    yield '';
    yield* treeLines(t, i + 1, n, images, findings);
  }
}

function findingJson(f: DiscoveryFinding) {
  return {
    rule: f.rule,
    severity: f.severity,
    message: f.message,
    ...(f.address !== undefined ? { address: hex(f.address) } : {}),
    ...(f.offset !== undefined ? { offset: f.offset } : {}),
    ...(f.file !== undefined ? { file: f.file } : {}),
  };
}

function treeJson(t: KhoTree, rank: number) {
  const flb = t.flb;
  return {
    rank,
    ...(t.address !== undefined ? { address: hex(t.address) } : {}),
    ...(t.file !== undefined ? { file: t.file } : {}),
    compatible: t.compatible,
    ...(t.role ? { role: t.role, roleReason: t.roleReason } : {}),
    duplicates: t.duplicates.map(hex),
    path: t.path.map((s) => ({
      kind: s.kind,
      ...(s.address !== undefined ? { address: hex(s.address) } : {}),
      ...(s.file !== undefined ? { file: s.file } : {}),
      ...(s.compatible !== undefined ? { compatible: s.compatible } : {}),
      ...(s.version !== undefined ? { version: s.version } : {}),
      ...(s.layout !== undefined ? { layout: s.layout } : {}),
      ...(s.via !== undefined ? { via: s.via } : {}),
      ...(s.size !== undefined ? { size: s.size } : {}),
      ...(s.liveupdateNum !== undefined ? { liveupdateNum: s.liveupdateNum.toString() } : {}),
    })),
    flbTable: flb
      ? {
          address: hex(flb.table.address),
          pageSize: flb.table.pageSize,
          pgcnt: flb.table.pgcnt.toString(),
          count: flb.table.count.toString(),
          capacity: flb.table.capacity,
          entries: flb.table.entries.map((e) => ({ index: e.index, name: e.name, terminated: e.terminated, data: hex(e.data), count: e.count.toString() })),
        }
      : null,
    pci: (flb?.pci ?? []).map((p) => {
      const best = p.readings.find((r) => r.consistent) ?? p.readings[0]!;
      return {
        entry: p.entry.index,
        name: p.entry.name,
        data: hex(p.entry.data),
        ...(best.decoded ? toLazyJson(best.decoded) : { abi: best.abi, decoded: null }),
        consistent: best.consistent,
        findings: best.findings.map((f) => ({ rule: f.rule, severity: f.severity, message: f.message, ...(f.offset !== undefined ? { offset: f.offset } : {}), ...(f.index !== undefined ? { index: f.index } : {}) })),
        readings: p.readings.map((r) => ({ abi: r.abi, consistent: r.consistent, reasons: r.reasons })),
      };
    }),
    findings: [
      ...t.findings.map(findingJson),
      ...(flb?.table.findings ?? []).map((f) => ({ rule: f.rule, severity: f.severity, message: f.message, address: hex(flb!.table.address + BigInt(f.offset ?? 0)), ...(f.index !== undefined ? { index: f.index } : {}) })),
    ],
    notes: t.notes,
  };
}

/** `inspect --json` without an FLB table address: every KHO tree, best first, with its path, FLB table, PCI blobs (devices read as jsonChunks renders them) and findings. */
export function discoveryJson(d: Discovery) {
  return {
    source: d.source,
    pagesScanned: d.pagesScanned,
    trees: d.trees.map((t, i) => treeJson(t, i + 1)),
    others: d.others.map((o) => ({ address: hex(o.address), what: o.what })),
    notExamined: d.notExamined,
  };
}
