import type { DecodedBlob } from '../codec/decode.js';
import type { BlobDiff, DiffDevice } from '../blob-diff/diff-blobs.js';
import { annotatedRows, hexLine, type HexRow } from './hexdump.js';
import type { Finding } from '../findings.js';
import { stringifyJson } from './json.js';
import { findingJson } from './validation.js';

const ROW = 16;
/** hexLine: `xxxxxxxx: ` then the hex; widths of the left (with offset) and right (without) columns. */
const HEX_START = 10;
const LEFT = 68;
const RIGHT = 56;

function slot(d: DiffDevice): string {
  return `devices[${d.index}]${d.refcount !== undefined ? ` refcount ${d.refcount}` : ''}`;
}

/** The `diff` text: a header per side, then one line per changed root field (~) and per added (+), removed (-), changed (~) and moved (>) device. */
export function formatBlobDiff(diff: BlobDiff, names: readonly [string, string]): string {
  const lines = [`--- ${names[0]} (${diff.abiA}): ${diff.countA} device${diff.countA === 1 ? '' : 's'}`, `+++ ${names[1]} (${diff.abiB}): ${diff.countB} device${diff.countB === 1 ? '' : 's'}`];
  for (const r of diff.root) lines.push(`~ pci_ser.${r.field}  ${r.a} -> ${r.b}`);
  for (const d of diff.removed) lines.push(`- ${d.address}  (${slot(d)})`);
  for (const d of diff.added) lines.push(`+ ${d.address}  (${slot(d)})`);
  for (const { a, b } of diff.changed) lines.push(`~ ${a.address}  refcount ${a.refcount} -> ${b.refcount}`);
  for (const { a, b } of diff.moved) lines.push(`> ${a.address}  moved from devices[${a.index}] to devices[${b.index}]`);
  const n = diff.added.length + diff.removed.length + diff.changed.length;
  const r = diff.root.length;
  const counts = [r ? `${r} root field difference${r === 1 ? '' : 's'}` : '', n ? `${n} device difference${n === 1 ? '' : 's'}` : ''].filter(Boolean).join(', ');
  lines.push(diff.same ? `same devices${diff.moved.length ? ` (${diff.moved.length} moved)` : ''}` : counts);
  return lines.join('\n');
}

/** The `diff --json` object. */
export function blobDiffJson(diff: BlobDiff, names: readonly [string, string], bytes?: string, findings: ReadonlyArray<Finding & { file: string }> = []): string {
  const found = findings.map((f) => ({ file: f.file, ...findingJson(f) }));
  return stringifyJson({ a: names[0], b: names[1], ...diff, ...(bytes !== undefined ? { hexdump: bytes.split('\n') } : {}), findings: found });
}

/** Line starts: every row start of either side, split into at most 16 bytes. */
function lineStarts(rows: readonly HexRow[], end: number): number[] {
  const starts = new Set<number>();
  for (const r of rows) for (let o = r.offset; o < r.offset + r.size; o += ROW) starts.add(o);
  for (let o = 0; o < end; o += ROW) if (![...starts].some((s) => s <= o && o < s + ROW)) starts.add(o);
  return [...starts].filter((o) => o < end).sort((x, y) => x - y);
}

/**
 * Both blobs side by side, xxd-like, at the same offsets: every line names the
 * field of each side that starts there; `!` marks lines whose bytes differ and a
 * caret line points at the differing bytes. Identical all-zero lines collapse.
 */
export function formatBytesSideBySide(da: DecodedBlob, db: DecodedBlob): string {
  const rowsA = [...annotatedRows(da)];
  const rowsB = [...annotatedRows(db)];
  const end = Math.max(da.bytes.length, db.bytes.length);
  const rowA = new Map(rowsA.map((r) => [r.offset, r]));
  const rowB = new Map(rowsB.map((r) => [r.offset, r]));
  const named = (r: HexRow | undefined) => r !== undefined && (r.group === 'root' || r.group === 'device');
  const starts = lineStarts([...rowsA, ...rowsB], end);
  const out: string[] = [];
  let skipped = 0;
  starts.forEach((o, i) => {
    const stop = Math.min(starts[i + 1] ?? end, o + ROW, end);
    const a = da.bytes.subarray(o, Math.min(stop, da.bytes.length));
    const b = db.bytes.subarray(o, Math.min(stop, db.bytes.length));
    const differs: number[] = [];
    for (let k = 0; k < stop - o; k++) if (a[k] !== b[k]) differs.push(k);
    const la = rowA.get(o)?.label ?? '';
    const lb = rowB.get(o)?.label ?? '';
    if (!differs.length && !named(rowA.get(o)) && !named(rowB.get(o)) && a.every((x) => x === 0)) {
      skipped++;
      return;
    }
    if (skipped) out.push(`   *  (${skipped} identical zero line${skipped === 1 ? '' : 's'})`);
    skipped = 0;
    const labels = la === lb ? la : `${la || '-'} | ${lb || '-'}`;
    out.push(`${differs.length ? '!' : ' '} ${hexLine(o, a, '').padEnd(LEFT)}│ ${hexLine(o, b, '').slice(HEX_START).padEnd(RIGHT)}  ${labels}`.trimEnd());
    if (differs.length) out.push(`  ${carets(differs, HEX_START).padEnd(LEFT)}│ ${carets(differs, 0)}`.trimEnd());
  });
  if (skipped) out.push(`   *  (${skipped} identical zero line${skipped === 1 ? '' : 's'})`);
  return out.join('\n');
}

/** Carets under the hex digits of the differing bytes (hexLine prints 2-byte groups and a space). */
function carets(differs: readonly number[], indent: number): string {
  const chars = Array<string>(indent + 40).fill(' ');
  for (const k of differs) {
    const col = indent + Math.floor(k / 2) * 5 + (k % 2) * 2;
    chars[col] = '^';
    chars[col + 1] = '^';
  }
  return chars.join('').trimEnd();
}
