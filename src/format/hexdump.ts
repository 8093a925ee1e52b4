import type { DecodedBlob } from '../codec/decode.js';
import { jsonValue } from '../codec/json.js';

/** A byte range of a blob with what it holds. */
export interface HexRow {
  readonly offset: number;
  readonly size: number;
  readonly label: string;
  /** Rows of the same group that are all zero collapse into one `*` line. */
  readonly group: 'root' | 'device' | 'free' | 'trailing';
}

const ROW = 16;

/** Split a blob into rows: every root field, every slot, then the trailing bytes. */
export function annotatedRows(d: DecodedBlob): HexRow[] {
  const { layout, bytes } = d;
  const rows: HexRow[] = [];
  const root = d.root as Record<string, number | bigint>;
  for (const f of layout.root.fields) {
    if (f.flexible) continue;
    rows.push({ offset: f.offset, size: f.size, label: `pci_ser.${f.name} = ${jsonValue(root[f.name]!, f)}`, group: 'root' });
  }
  let end = layout.root.size;
  if (d.devices && !d.chain) {
    const stride = layout.entry.size;
    const inUse = new Map<number, number>();
    for (let i = 0; i < d.devices.length; i++) inUse.set(d.devices.indexAt(i), i);
    const sorted = layout.semantics === 'sorted';
    const nr = Number(root.nr_devices);
    for (let slot = 0; slot < d.slots; slot++) {
      const offset = d.entriesOffset + slot * stride;
      const k = inUse.get(slot);
      if (k !== undefined) {
        const dev = d.devices.at(k)! as unknown as Record<string, number | string>;
        const rest = layout.entry.fields
          .filter((f) => f.name !== 'domain' && f.name !== 'bdf')
          .map((f) => `${f.name}=${dev[f.name]}`)
          .join(' ');
        rows.push({ offset, size: stride, label: `devices[${slot}] ${dev.address}${rest ? ` ${rest}` : ''}`, group: 'device' });
      } else {
        const why = sorted && slot >= nr ? 'past nr_devices' : 'free';
        const stale = bytes.subarray(offset, offset + stride).some((b) => b !== 0) ? ', stale bytes' : '';
        rows.push({ offset, size: stride, label: `devices[${slot}] ${why}${stale}`, group: 'free' });
      }
    }
    end = d.entriesOffset + d.slots * stride;
  }
  for (let offset = end; offset < bytes.length; offset += ROW) {
    rows.push({ offset, size: Math.min(ROW, bytes.length - offset), label: 'trailing', group: 'trailing' });
  }
  return rows;
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

/** The `hexdump` text: xxd-like lines, each naming the field at its offset; zero runs collapse to `*`. */
export function formatHexdump(bytes: Uint8Array, rows: readonly HexRow[]): string {
  const out: string[] = [];
  let collapsed = 0;
  let prev: HexRow | undefined;
  const isZero = (r: HexRow) => bytes.subarray(r.offset, r.offset + r.size).every((b) => b === 0);
  const flush = () => {
    if (collapsed) out.push(`*  (${collapsed} more zero row${collapsed === 1 ? '' : 's'})`);
    collapsed = 0;
  };
  for (const r of rows) {
    if (prev && r.group !== 'root' && r.group !== 'device' && r.group === prev.group && isZero(r) && isZero(prev)) {
      collapsed++;
      continue;
    }
    flush();
    for (let o = r.offset; o < r.offset + r.size; o += ROW) {
      out.push(hexLine(o, bytes.subarray(o, Math.min(o + ROW, r.offset + r.size)), o === r.offset ? r.label : ''));
    }
    prev = r;
  }
  flush();
  return out.join('\n');
}

/** The `hexdump --json` rows. */
export function hexdumpJson(bytes: Uint8Array, rows: readonly HexRow[]) {
  return {
    size: bytes.length,
    rows: rows.map((r) => ({ offset: r.offset, size: r.size, hex: Buffer.from(bytes.subarray(r.offset, r.offset + r.size)).toString('hex'), label: r.label })),
  };
}
