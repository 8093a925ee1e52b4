import type { FieldLayout } from '../layout/engine.js';
import type { PciAbi } from '../registry.js';

/** A named byte range of a blob as one side lays it out. */
interface Span {
  readonly name: string;
  readonly start: number;
  readonly end: number;
}

/** The root fields and the first `entries` device entries of a layout, as byte spans. */
function spans(abi: PciAbi, entries: number): Span[] {
  const out: Span[] = abi.root.fields
    .filter((f) => !f.flexible)
    .map((f) => ({ name: f.name, start: f.offset, end: f.offset + f.size }));
  if (abi.storage === 'inline') {
    const base = abi.roles.devices.offset;
    for (let i = 0; i < entries; i++) {
      for (const f of abi.entry.fields) out.push({ name: `devices[${i}].${f.name}`, start: base + i * abi.entry.size + f.offset, end: base + i * abi.entry.size + f.offset + f.size });
    }
  }
  return out;
}

const range = (s: number, e: number) => (e - s === 1 ? `byte ${s}` : `bytes ${s}-${e - 1}`);

function readAs(f: FieldLayout): string {
  return `${f.type}${f.count !== undefined ? `[${f.count}]` : ''} ${f.name}`;
}

/** What the writer's bytes under a reader's field are. */
function under(writer: Span[], start: number, end: number, writerRootSize: number): string {
  const hit = writer.filter((w) => w.start < end && start < w.end);
  const names = hit.map((w) => (w.start >= start && w.end <= end ? w.name : `part of ${w.name}`));
  const covered = hit.reduce((n, w) => n + Math.min(end, w.end) - Math.max(start, w.start), 0);
  if (covered < end - start) names.push(start >= writerRootSize && hit.length === 0 ? 'past the writer\'s struct pci_ser' : 'bytes the writer leaves unset');
  return names.join('|');
}

/**
 * How a reader laid out as `reader` misreads a blob written as `writer` (same compat string,
 * different bytes): each reader field whose bytes the writer filled differently, then the entries.
 */
export function describeMisparse(writer: PciAbi, reader: PciAbi): string[] {
  const w = spans(writer, 4);
  const out: string[] = [];
  for (const f of reader.root.fields) {
    if (f.flexible) continue;
    const start = f.offset;
    const end = f.offset + f.size;
    const same = w.find((x) => x.start === start && x.end === end && x.name === f.name);
    if (same) continue;
    out.push(`${range(start, end)} (${under(w, start, end, writer.root.size)}) read as ${readAs(f)}${f.address ? ' (a physical address)' : ''}`);
  }
  if (reader.storage === 'block-chain' && writer.storage === 'inline') {
    out.push(`the reader follows devices as a KHO block chain; the writer stored ${writer.entry.size}-byte entries inline from byte ${writer.roles.devices.offset}`);
  } else if (reader.storage === 'inline' && writer.storage === 'block-chain') {
    out.push(`the reader takes devices[] from byte ${reader.roles.devices.offset} of the ${writer.root.size}-byte root; the writer's entries live in a KHO block chain`);
  } else if (reader.storage === 'inline') {
    const rb = reader.roles.devices.offset;
    const wb = writer.roles.devices.offset;
    if (rb !== wb || reader.entry.size !== writer.entry.size) {
      out.push(`devices[] read from byte ${rb} in ${reader.entry.size}-byte entries; the writer's start at byte ${wb} in ${writer.entry.size}-byte entries`);
    }
  }
  if (reader.entry.size === writer.entry.size && reader.storage === writer.storage) {
    for (const f of reader.entry.fields) {
      const g = writer.entry.fields.find((x) => x.offset === f.offset && x.size === f.size);
      if (!g) out.push(`pci_dev_ser ${range(f.offset, f.offset + f.size)} read as ${readAs(f)}; the writer has ${writer.entry.fields.filter((x) => x.offset < f.offset + f.size && f.offset < x.offset + x.size).map((x) => x.name).join('|')} there`);
    }
  }
  return out;
}
