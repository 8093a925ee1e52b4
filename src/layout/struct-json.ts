import { typeText, type FieldLayout, type StructLayout } from './engine.js';

/** Whether a member is a bit-field. */
export const isBitField = (f: FieldLayout) => f.bitOffset !== undefined && f.bitSize !== undefined;
/** A member of an anonymous struct or union type (not through a typedef), laid out in place. */
export const isInline = (f: FieldLayout) => f.struct !== undefined && f.struct.name === '' && (f.type === 'struct' || f.type === 'union');

/**
 * The JSON form of a member: bytes, plus `bitOffset`/`bitSize` for bit-fields and the members
 * of an inline (anonymous) struct or union, whose offsets count from the outer struct as pahole's do.
 */
function fieldJson(f: FieldLayout, base = 0): object {
  return {
    name: f.name,
    type: typeText(f),
    offset: base + f.offset,
    size: f.size,
    ...(isBitField(f) ? { bitOffset: base * 8 + f.bitOffset!, bitSize: f.bitSize } : {}),
    ...(f.doc ? { doc: f.doc } : {}),
    ...(isInline(f) ? { fields: f.struct!.fields.map((g) => fieldJson(g, base + f.offset)) } : {}),
  };
}

/** The JSON form of a struct layout, as `header --json`, `btf --json` and `layout --json` print it. */
export function structJson(s: StructLayout) {
  return {
    name: s.name,
    ...(s.union ? { union: true } : {}),
    size: s.size,
    align: s.align,
    packed: s.packed,
    fields: s.fields.map((f) => fieldJson(f)),
    holes: s.gaps.filter((g) => g.kind === 'hole').map(({ offset, size }) => ({ offset, size })),
    padding: s.gaps.find((g) => g.kind === 'padding')?.size ?? 0,
  };
}
