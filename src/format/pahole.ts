import { typeText, type StructLayout } from '../layout/engine.js';

const CACHELINE = 64;

/** A struct as pahole prints it: one member a line with offset and size, holes, and a summary. */
export function formatStruct(s: StructLayout): string {
  const lines = [`${s.union ? 'union' : 'struct'} ${s.name} {`];
  for (const f of s.fields) {
    const name = `${f.name}${typeText(f).slice(f.type.length)};`;
    const type = f.type;
    lines.push(`\t${type.padEnd(26)} ${name.padEnd(21)} /* ${String(f.offset).padStart(5)} ${String(f.size).padStart(5)} */`);
    const hole = s.gaps.find((g) => g.kind === 'hole' && g.after === f.name);
    if (hole) lines.push('', `\t/* XXX ${hole.size} byte${hole.size === 1 ? '' : 's'} hole, try to pack */`, '');
  }
  const holes = s.gaps.filter((g) => g.kind === 'hole');
  const padding = s.gaps.find((g) => g.kind === 'padding')?.size ?? 0;
  const sum = s.fields.reduce((n, f) => n + f.size, 0);
  const summary = [`size: ${s.size}`, `cachelines: ${Math.max(1, Math.ceil(s.size / CACHELINE))}`, `members: ${s.fields.length}`];
  if (holes.length) summary.push(`sum members: ${sum}`, `holes: ${holes.length}`, `sum holes: ${holes.reduce((n, g) => n + g.size, 0)}`);
  if (padding) summary.push(`padding: ${padding}`);
  lines.push('', `\t/* ${summary.join(', ')} */`, `\t/* last cacheline: ${s.size % CACHELINE || Math.min(s.size, CACHELINE)} bytes */`);
  const attrs = [s.packed ? '__packed__' : '', s.aligned ? `__aligned__(${s.aligned})` : ''].filter(Boolean);
  lines.push(attrs.length ? `} __attribute__((${attrs.join(', ')}));` : '};');
  return lines.join('\n');
}

/** The JSON form of a struct layout (contract §5, `header --json` structs). */
export function structJson(s: StructLayout) {
  return {
    name: s.name,
    size: s.size,
    align: s.align,
    packed: s.packed,
    fields: s.fields.map((f) => ({
      name: f.name,
      type: typeText(f),
      offset: f.offset,
      size: f.size,
      ...(f.doc ? { doc: f.doc } : {}),
    })),
    holes: s.gaps.filter((g) => g.kind === 'hole').map(({ offset, size }) => ({ offset, size })),
    padding: s.gaps.find((g) => g.kind === 'padding')?.size ?? 0,
  };
}
