import type { DecodedBlob } from '../codec/decode.js';
import { blockNote, jsonValue } from '../codec/json.js';
import { formatAddress } from '../pci-address.js';
import { chainLines } from './block-chain.js';

/** `decode` text, one line at a time: the root fields, the in-use devices and the bytes no field accounts for; `chainRefused` as in toLazyJson. */
export function* decodedLines(d: DecodedBlob, chainRefused = false): Generator<string> {
  const { layout } = d;
  const version = layout.version === undefined ? '' : `, version ${layout.version}`;
  yield `${d.abi} (compat "${d.compatible}"${version}), ${d.size} bytes`;
  yield 'struct pci_ser:';
  const root = d.root as Record<string, number | bigint>;
  const fields = layout.root.fields.filter((f) => !f.flexible);
  const width = Math.max(...fields.map((f) => f.name.length));
  for (const f of fields) yield `  ${f.name.padEnd(width)} = ${jsonValue(root[f.name]!, f)}`;
  if (!d.devices) {
    yield blockNote(d, chainRefused);
  } else {
    if (d.chain) yield* chainLines(d.chain);
    yield `devices: ${d.devices.length} in use of ${d.slots} slots${layout.semantics === 'skeleton' ? ' (skeleton: nothing is ever written)' : ''}`;
    const list = d.devices;
    const indexWidth = `[${Math.max(0, d.slots - 1)}]`.length;
    // Columns, read in one pass each, size the columns and feed the lines: no object per device.
    const domains = list.column('domain');
    const bdfs = list.column('bdf');
    const rest = layout.entry.fields.filter((f) => f.name !== 'domain' && f.name !== 'bdf').map((f) => [f.name, list.column(f.name)] as const);
    const hexWidth = Math.max(4, maxOf(domains).toString(16).length);
    const addressWidth = Math.max(14, hexWidth + 9);
    const domainWidth = Math.max(7, hexWidth + 2);
    for (let i = 0; i < list.length; i++) {
      const domain = domains[i]!;
      const bdf = bdfs[i]!;
      const tail = rest.map(([name, column]) => `  ${name} ${column[i]}`).join('');
      yield `  ${`[${list.indexAt(i)}]`.padEnd(indexWidth)} ${formatAddress(domain, bdf).padEnd(addressWidth)} domain ${`0x${domain.toString(16).padStart(4, '0')}`.padEnd(domainWidth)} bdf 0x${bdf.toString(16).padStart(4, '0')}${tail}`;
    }
  }
  const extra = d.extra;
  if (extra.length) {
    const total = extra.reduce((n, r) => n + r.bytes.length, 0);
    yield `extra: ${total} bytes in ${extra.length} run${extra.length === 1 ? '' : 's'} outside every decoded field (kept by decode --json):`;
    for (const r of extra.slice(0, 8)) {
      const hex = `${Buffer.from(r.bytes.subarray(0, 16)).toString('hex')}${r.bytes.length > 16 ? '…' : ''}`;
      yield `  @0x${r.offset.toString(16)} (${placeOf(d, r.offset)}): ${hex}`;
    }
    if (extra.length > 8) yield `  … ${extra.length - 8} more`;
  }
}

function maxOf(column: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < column.length; i++) if (column[i]! > max) max = column[i]!;
  return max;
}

/** What a byte offset of a blob belongs to: a slot (free, or past nr_devices), or the trailing bytes. */
export function placeOf(d: DecodedBlob, offset: number): string {
  const slot = Math.floor((offset - d.entriesOffset) / d.layout.entry.size);
  if (!d.devices || d.chain || offset < d.entriesOffset || slot >= d.slots) return offset < d.layout.root.size ? 'pci_ser' : 'trailing';
  const past = d.layout.semantics === 'sorted' && slot >= Number((d.root as Record<string, number | bigint>).nr_devices);
  return `devices[${slot}], ${past ? 'past nr_devices' : 'free slot'}`;
}
