import type { DecodedBlob } from '../codec/decode.js';
import { blockNote, jsonValue } from '../codec/json.js';
import { chainLines } from './block-chain.js';

/** `decode` text: the root fields, the in-use devices and the bytes no field accounts for. */
export function formatDecoded(d: DecodedBlob): string {
  const { layout } = d;
  const version = layout.version === undefined ? '' : `, version ${layout.version}`;
  const out = [`${d.abi} (compat "${d.compatible}"${version}), ${d.size} bytes`, 'struct pci_ser:'];
  const root = d.root as Record<string, number | bigint>;
  const fields = layout.root.fields.filter((f) => !f.flexible);
  const width = Math.max(...fields.map((f) => f.name.length));
  for (const f of fields) out.push(`  ${f.name.padEnd(width)} = ${jsonValue(root[f.name]!, f)}`);
  if (!d.devices) {
    out.push(blockNote(d));
  } else {
    if (d.chain) out.push(...chainLines(d.chain));
    out.push(`devices: ${d.devices.length} in use of ${d.slots} slots${layout.semantics === 'skeleton' ? ' (skeleton: nothing is ever written)' : ''}`);
    const extraFields = layout.entry.fields.filter((f) => f.name !== 'domain' && f.name !== 'bdf');
    const indexWidth = `[${Math.max(0, d.slots - 1)}]`.length;
    for (const dev of d.devices) {
      const rec = dev as unknown as Record<string, number>;
      const rest = extraFields.map((f) => `${f.name} ${rec[f.name]}`).join('  ');
      const domain = `0x${dev.domain.toString(16).padStart(4, '0')}`.padEnd(7);
      out.push(`  ${`[${dev.index}]`.padEnd(indexWidth)} ${dev.address.padEnd(14)} domain ${domain} bdf 0x${dev.bdf.toString(16).padStart(4, '0')}${rest ? `  ${rest}` : ''}`);
    }
  }
  const extra = d.extra;
  if (extra.length) {
    const total = extra.reduce((n, r) => n + r.bytes.length, 0);
    out.push(`extra: ${total} bytes in ${extra.length} run${extra.length === 1 ? '' : 's'} outside every decoded field (kept by decode --json):`);
    for (const r of extra.slice(0, 8)) {
      const hex = `${Buffer.from(r.bytes.subarray(0, 16)).toString('hex')}${r.bytes.length > 16 ? '…' : ''}`;
      out.push(`  @${r.offset} (${placeOf(d, r.offset)}): ${hex}`);
    }
    if (extra.length > 8) out.push(`  … ${extra.length - 8} more`);
  }
  return out.join('\n');
}

/** What a byte offset of a blob belongs to: a slot (free, or past nr_devices), or the trailing bytes. */
export function placeOf(d: DecodedBlob, offset: number): string {
  const slot = Math.floor((offset - d.entriesOffset) / d.layout.entry.size);
  if (!d.devices || d.chain || offset < d.entriesOffset || slot >= d.slots) return offset < d.layout.root.size ? 'pci_ser' : 'trailing';
  const past = d.layout.semantics === 'sorted' && slot >= Number((d.root as Record<string, number | bigint>).nr_devices);
  return `devices[${slot}], ${past ? 'past nr_devices' : 'free slot'}`;
}
