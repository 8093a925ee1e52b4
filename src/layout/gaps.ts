import type { FieldLayout, Gap } from './engine.js';

/** The bytes a member touches: its own bytes, or for a bit-field the bytes its bits fall in. */
function extent(f: FieldLayout): { start: number; end: number } {
  if (f.bitOffset !== undefined && f.bitSize !== undefined) {
    return { start: Math.floor(f.bitOffset / 8), end: Math.ceil((f.bitOffset + f.bitSize) / 8) };
  }
  return { start: f.offset, end: f.offset + f.size };
}

/**
 * Unused bytes of a struct laid out as `fields` in `size` bytes: holes between members (none
 * in a union) and the tail padding. Bit-fields sharing bytes leave no byte hole between them.
 */
export function structGaps(fields: readonly FieldLayout[], size: number, union = false): Gap[] {
  const gaps: Gap[] = [];
  let end = 0;
  let last: string | null = null;
  for (const f of fields) {
    const e = extent(f);
    if (!union && e.start > end) gaps.push({ offset: end, size: e.start - end, after: last, kind: 'hole' });
    end = Math.max(end, e.end);
    last = f.name;
  }
  if (size > end) gaps.push({ offset: end, size: size - end, after: null, kind: 'padding' });
  return gaps;
}
