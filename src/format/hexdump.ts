import type { DecodedBlob } from '../codec/decode.js';
import { jsonValue } from '../codec/json.js';
import { readInt } from '../layout/field-io.js';
import { formatAddress } from '../pci-address.js';
import type { PciAbi } from '../registry.js';

/** A byte range of a blob with what it holds. */
export interface HexRow {
  readonly offset: number;
  readonly size: number;
  readonly label: string;
  /** Rows of the same group that are all zero collapse into one `*` line; `raw` rows never do (as xxd). */
  readonly group: 'root' | 'device' | 'free' | 'trailing' | 'raw';
}

const ROW = 16;

/** Split a blob into rows, one at a time: every root field, every slot, then the trailing bytes. */
export function* annotatedRows(d: DecodedBlob): Generator<HexRow> {
  const { layout, bytes } = d;
  const root = d.root as Record<string, number | bigint>;
  for (const f of layout.root.fields) {
    if (f.flexible) continue;
    yield { offset: f.offset, size: f.size, label: `pci_ser.${f.name} = ${jsonValue(root[f.name]!, f)}`, group: 'root' };
  }
  let end = layout.root.size;
  if (d.devices && !d.chain) {
    const list = d.devices;
    const stride = layout.entry.size;
    const sorted = layout.semantics === 'sorted';
    const nr = Number(root.nr_devices);
    const domains = list.column('domain');
    const bdfs = list.column('bdf');
    const rest = layout.entry.fields.filter((f) => f.name !== 'domain' && f.name !== 'bdf').map((f) => [f.name, list.column(f.name)] as const);
    let k = 0; // the next in-use entry: devices come in storage order
    for (let slot = 0; slot < d.slots; slot++) {
      const offset = d.entriesOffset + slot * stride;
      if (k < list.length && list.indexAt(k) === slot) {
        const tail = rest.map(([name, column]) => ` ${name}=${column[k]}`).join('');
        yield { offset, size: stride, label: `devices[${slot}] ${formatAddress(domains[k]!, bdfs[k]!)}${tail}`, group: 'device' };
        k++;
      } else {
        const why = sorted && slot >= nr ? 'past nr_devices' : 'free';
        const stale = isZero(bytes, offset, stride) ? '' : ', stale bytes';
        yield { offset, size: stride, label: `devices[${slot}] ${why}${stale}`, group: 'free' };
      }
    }
    end = d.entriesOffset + d.slots * stride;
  }
  for (let offset = end; offset < bytes.length; offset += ROW) {
    yield { offset, size: Math.min(ROW, bytes.length - offset), label: 'trailing', group: 'trailing' };
  }
}

/**
 * Rows of a blob too short to decode: the root fields it holds whole, named, then every other
 * byte in plain 16-byte rows, so the dump shows all of it as xxd would.
 */
export function* truncatedRows(bytes: Uint8Array, layout: PciAbi): Generator<HexRow> {
  let end = 0;
  for (const f of layout.root.fields) {
    if (f.flexible || f.offset !== end || f.offset + f.size > bytes.length) break;
    yield { offset: f.offset, size: f.size, label: `pci_ser.${f.name} = ${jsonValue(readInt(bytes, f.offset, f), f)}`, group: 'root' };
    end = f.offset + f.size;
  }
  for (let offset = end; offset < bytes.length; offset += ROW) {
    yield { offset, size: Math.min(ROW, bytes.length - offset), label: '', group: 'raw' };
  }
}

function isZero(b: Uint8Array, from: number, size: number): boolean {
  for (let i = from; i < from + size; i++) if (b[i] !== 0) return false;
  return true;
}

function hexGroups(b: Uint8Array): string {
  const hex = Buffer.from(b).toString('hex');
  return hex.replace(/(.{4})(?=.)/g, '$1 ');
}

function ascii(b: Uint8Array): string {
  return Array.from(b, (c) => (c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '.')).join('');
}

/** One xxd-like line: offset, hex in 2-byte groups, ASCII, label. */
export function hexLine(offset: number, b: Uint8Array, label: string): string {
  return `${offset.toString(16).padStart(8, '0')}: ${hexGroups(b).padEnd(39)}  ${ascii(b).padEnd(ROW)}  ${label}`.trimEnd();
}

/** The `hexdump` text, one line at a time: xxd-like lines, each naming the field at its offset; zero runs collapse to `*`. */
export function* hexdumpLines(bytes: Uint8Array, rows: Iterable<HexRow>): Generator<string> {
  let collapsed = 0;
  let prev: HexRow | undefined;
  let prevZero = false;
  const more = () => `*  (${collapsed} more zero row${collapsed === 1 ? '' : 's'})`;
  for (const r of rows) {
    const zero = isZero(bytes, r.offset, r.size);
    if (prev && r.group !== 'root' && r.group !== 'device' && r.group !== 'raw' && r.group === prev.group && zero && prevZero) {
      collapsed++;
      continue;
    }
    if (collapsed) yield more();
    collapsed = 0;
    for (let o = r.offset; o < r.offset + r.size; o += ROW) {
      yield hexLine(o, bytes.subarray(o, Math.min(o + ROW, r.offset + r.size)), o === r.offset ? r.label : '');
    }
    prev = r;
    prevZero = zero;
  }
  if (collapsed) yield more();
}

/** The `hexdump --json` rows, made one at a time as they are printed. */
export function hexdumpJson(bytes: Uint8Array, rows: Iterable<HexRow>) {
  return {
    size: bytes.length,
    rows: (function* () {
      for (const r of rows) yield { offset: r.offset, size: r.size, hex: Buffer.from(bytes.subarray(r.offset, r.offset + r.size)).toString('hex'), label: r.label };
    })(),
  };
}
