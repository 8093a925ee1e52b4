import type { FieldLayout } from '../layout/engine.js';
import { fieldRead } from './entry-reader.js';

/**
 * How the generated column loops read an entry's fields: `words` reads little-endian 32-bit
 * words from a Uint32Array over the blob (`at` counts words), one load per word however many
 * fields share it; `view` reads each field with its DataView getter (`at` counts bytes).
 */
export type ColumnSourceKind = 'words' | 'view';

/** A field that lies inside one little-endian 32-bit word of its entry: which word, and its bit shift in it. */
export interface WordSlice {
  readonly word: number;
  readonly shift: number;
  readonly bits: number;
}

/** Field `f` as a slice of one 32-bit word of its entry, or null when it is big-endian, wider, or crosses a word. */
export function wordSlice(f: FieldLayout): WordSlice | null {
  const within = f.offset % 4;
  if (f.bigEndian || f.elementSize > 4 || within + f.elementSize > 4) return null;
  return { word: (f.offset - within) / 4, shift: within * 8, bits: f.elementSize * 8 };
}

/** The local that holds word k of the current entry. */
const wordName = (k: number) => `w${k}`;

/**
 * The value of field `f` as an expression the column's typed array stores: the word shifted
 * down (the store keeps the field's own low bits, signed or not), or the field's DataView read.
 */
export function valueOf(f: FieldLayout, kind: ColumnSourceKind): string {
  if (kind === 'view') return fieldRead(f, 'src', 'q');
  const s = wordSlice(f)!;
  return s.shift === 0 ? wordName(s.word) : `${wordName(s.word)} >>> ${s.shift}`;
}

/** A test that field `f` of the current entry is non-zero (a slot in use, for a refcount). */
export function nonZeroTest(f: FieldLayout, kind: ColumnSourceKind): string {
  if (kind === 'view') return `${fieldRead(f, 'src', 'q')} !== 0`;
  const s = wordSlice(f)!;
  const w = wordName(s.word);
  if (s.bits === 32) return `${w} !== 0`;
  // The field's bits alone: shifted down when it ends the word, masked when it starts it, both otherwise.
  if (s.shift + s.bits === 32) return `${w} >>> ${s.shift} !== 0`;
  const mask = `0x${(2 ** s.bits - 1).toString(16)}`;
  return s.shift === 0 ? `(${w} & ${mask}) !== 0` : `((${w} >>> ${s.shift}) & ${mask}) !== 0`;
}

/** `base + k`, or `base` when k is 0. */
const plus = (base: string, k: number) => (k === 0 ? base : `${base} + ${k}`);

/** The loads of the words the fields need (words kind; nothing for view), from `q`, in word order. */
export function wordLoads(fields: readonly FieldLayout[], kind: ColumnSourceKind): string {
  if (kind === 'view') return '';
  const words = [...new Set(fields.map((f) => wordSlice(f)!.word))].sort((a, b) => a - b);
  return words.map((k) => `const ${wordName(k)} = src[${plus('q', k)}];`).join(' ');
}

/** The stores of the current entry's fields into their columns `c0`, `c1`, … at row `row`. */
export function columnStores(fields: readonly FieldLayout[], kind: ColumnSourceKind, row: string): string {
  return fields.map((f, i) => `c${i}[${row}] = ${valueOf(f, kind)};`).join(' ');
}

/** The column parameters `c0, c1, …` of the generated functions. */
export function columnParams(fields: readonly FieldLayout[]): string {
  return fields.map((_, i) => `c${i}`).join(', ');
}

/** A block copying the entry at `q` (words or bytes from the start of `src`) into row `row`. */
export function copyEntry(fields: readonly FieldLayout[], kind: ColumnSourceKind, q: string, row: string): string {
  return `{ ${[`const q = ${q};`, wordLoads(fields, kind), columnStores(fields, kind, row)].filter(Boolean).join(' ')} }`;
}

/**
 * A block copying the entry at `q` into row `n`, then counting it when its `inUse` field is
 * non-zero: a free slot's row is overwritten by the next entry (no branch to mispredict).
 */
export function copyEntryInUse(fields: readonly FieldLayout[], inUse: FieldLayout, kind: ColumnSourceKind, q: string): string {
  const count = `n += ${nonZeroTest(inUse, kind)} ? 1 : 0;`;
  return `{ ${[`const q = ${q};`, wordLoads([inUse, ...fields], kind), columnStores(fields, kind, 'n'), count].filter(Boolean).join(' ')} }`;
}

/**
 * Entries handled per loop iteration. V8 re-checks each typed array (map, length, data
 * pointer) once per iteration; handling several entries per iteration shares those checks.
 */
export const UNROLL = 32;

/**
 * Positions in a compiled loop over the entries are below 2^30 (word loops read blobs under
 * 4 GiB: see MAX_WORDS; the validate scan, byte positions in blobs up to 1 GiB). Masking them
 * with this says so to V8: `p + k` then cannot overflow, and every typed-array access loses
 * its overflow check.
 */
export const POSITION_MASK = 0x3fffffff;

/** The most 32-bit words a blob read by the word loops may have: their positions stay under POSITION_MASK. */
export const MAX_WORDS = POSITION_MASK + 1;

/**
 * A loop over i = 0..count-1, UNROLL entries per iteration and then the rest one at a time:
 * `block(k)` handles entry i + k. With a `step`, `p` starts at `at` and is the position of entry i.
 * `first` (and `firstAt`) count the iterations; `i` and `p` are them masked with POSITION_MASK.
 */
export function unrolledLoop(count: string, step: number | null, block: (k: number) => string): string {
  const body = Array.from({ length: UNROLL }, (_, k) => `    ${block(k)}`).join('\n');
  const mask = `0x${POSITION_MASK.toString(16)}`;
  const [init, next, positions, rest] =
    step === null
      ? ['let first = 0;', '', `const i = first & ${mask};`, 'let i = first;']
      : ['let first = 0, firstAt = at;', `, firstAt += ${UNROLL * step}`, `const i = first & ${mask}, p = firstAt & ${mask};`, 'let i = first, p = firstAt;'];
  return `${init}
  for (; first + ${UNROLL} <= ${count}; first += ${UNROLL}${next}) {
    ${positions}
${body}
  }
  for (${rest} i < ${count}; i++${step === null ? '' : `, p += ${step}`}) ${block(0)}`;
}

/** `dense(src, at, n, c…)`: entries 0..n-1, `step` apart from `at`, into rows 0..n-1. */
export function denseSource(fields: readonly FieldLayout[], kind: ColumnSourceKind, step: number): string {
  return `function dense(src, at, n, ${columnParams(fields)}) {
  ${unrolledLoop('n', step, (k) => copyEntry(fields, kind, plus('p', k * step), plus('i', k)))}
}`;
}

/** `indexed(src, at, indices, n, c…)`: the entries in slots indices[0..n), into rows 0..n-1. */
export function indexedSource(fields: readonly FieldLayout[], kind: ColumnSourceKind, step: number): string {
  return `function indexed(src, at, indices, n, ${columnParams(fields)}) {
  ${unrolledLoop('n', null, (k) => copyEntry(fields, kind, `at + indices[${plus('i', k)}] * ${step}`, plus('i', k)))}
}`;
}

/**
 * `inUse(src, at, slots, c…)`: the slots 0..slots-1 whose `inUse` field is non-zero, in
 * storage order, into rows 0..; returns how many, n. One pass: the test and the copy share
 * loads. The columns need a row for every slot: row n may hold a free slot's fields after.
 */
export function inUseSource(fields: readonly FieldLayout[], inUse: FieldLayout, kind: ColumnSourceKind, step: number): string {
  return `function inUse(src, at, slots, ${columnParams(fields)}) {
  let n = 0;
  ${unrolledLoop('slots', step, (k) => copyEntryInUse(fields, inUse, kind, plus('p', k * step)))}
  return n;
}`;
}
