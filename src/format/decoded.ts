import type { DecodedBlob } from '../codec/decode.js';
import { blockNote, jsonValue } from '../codec/json.js';
import { chainLines } from './block-chain.js';

/** `decode` text, one line at a time: the root fields, the in-use devices and the bytes no field accounts for. */
export function* decodedLines(d: DecodedBlob): Generator<string> {
  const { layout } = d;
  const version = layout.version === undefined ? '' : `, version ${layout.version}`;
  yield `${d.abi} (compat "${d.compatible}"${version}), ${d.size} bytes`;
  yield 'struct pci_ser:';
  const root = d.root as Record<string, number | bigint>;
  const fields = layout.root.fields.filter((f) => !f.flexible);
  const width = Math.max(...fields.map((f) => f.name.length));
  for (const f of fields) yield `  ${f.name.padEnd(width)} = ${jsonValue(root[f.name]!, f)}`;
  if (!d.devices) {
    yield blockNote(d);
  } else {
    if (d.chain) yield* chainLines(d.chain);
    yield `devices: ${d.devices.length} in use of ${d.slots} slots${layout.semantics === 'skeleton' ? ' (skeleton: nothing is ever written)' : ''}`;
    const extraFields = layout.entry.fields.filter((f) => f.name !== 'domain' && f.name !== 'bdf');
    const indexWidth = `[${Math.max(0, d.slots - 1)}]`.length;
    // One pass over the domain column sizes the columns, so the lines can stream aligned.
    const hexWidth = Math.max(4, maxOf(d.devices.column('domain')).toString(16).length);
    const addressWidth = Math.max(14, hexWidth + 9);
    for (const dev of d.devices) {
      const rec = dev as unknown as Record<string, number>;
      const rest = extraFields.map((f) => `${f.name} ${rec[f.name]}`).join('  ');
      const domain = `0x${dev.domain.toString(16).padStart(4, '0')}`.padEnd(Math.max(7, hexWidth + 2));
      yield `  ${`[${dev.index}]`.padEnd(indexWidth)} ${dev.address.padEnd(addressWidth)} domain ${domain} bdf 0x${dev.bdf.toString(16).padStart(4, '0')}${rest ? `  ${rest}` : ''}`;
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

/** `decode` text as one string (small blobs; the command streams decodedLines). */
export function formatDecoded(d: DecodedBlob): string {
  return [...decodedLines(d)].join('\n');
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
