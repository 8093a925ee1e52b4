import type { FieldLayout, StructLayout } from '../layout/engine.js';
import type { Column } from './column.js';
import { denseSource, indexedSource, inUseSource, MAX_WORDS, wordSlice, type ColumnSourceKind } from './column-source.js';

/** Copies chosen fields of the entries of one pci_dev_ser layout into columns, in one pass over the entries. */
export interface ColumnExtractor {
  /** Entries 0..n-1 (`indices` null) or the entries in slots indices[0..n), into rows 0..n-1 of `columns`. */
  readonly fill: (indices: Uint32Array | null, n: number, columns: readonly Column[]) => void;
  /** The slots 0..slots-1 whose `inUse` field is non-zero into rows 0.. of `columns` (a row per slot; the row after the last may be overwritten); returns how many. */
  readonly fillInUse: (slots: number, columns: readonly Column[]) => number;
}

type Compiled = {
  dense: (src: unknown, at: number, n: number, ...c: Column[]) => void;
  indexed: (src: unknown, at: number, indices: Uint32Array, n: number, ...c: Column[]) => void;
  inUse: (src: unknown, at: number, slots: number, ...c: Column[]) => number;
};

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
/** The loops for one fields array and in-use field: whether they can read whole words, and each kind compiled when first used. */
interface CompiledFor {
  readonly wordsFit: boolean;
  words?: Compiled;
  view?: Compiled;
}

/** Compiled loops by the fields array they copy (a layout's own `fields`, or a one-field array made once per field), then in-use field: no key is built per call. */
const compiled = new WeakMap<readonly FieldLayout[], WeakMap<FieldLayout, CompiledFor>>();

/** What is compiled for these fields and in-use field (made on first use). */
function compiledFor(fields: readonly FieldLayout[], inUse: FieldLayout): CompiledFor {
  let byInUse = compiled.get(fields);
  if (!byInUse) compiled.set(fields, (byInUse = new WeakMap()));
  let entry = byInUse.get(inUse);
  if (!entry) byInUse.set(inUse, (entry = { wordsFit: [inUse, ...fields].every((f) => wordSlice(f) !== null) }));
  return entry;
}

/** The loops for these fields of `entry`, generated once per fields array, in-use field and source kind. */
function compile(entry: StructLayout, fields: readonly FieldLayout[], inUse: FieldLayout, kind: ColumnSourceKind, cached: CompiledFor): Compiled {
  let fns = cached[kind];
  if (!fns) {
    const step = kind === 'words' ? entry.size / 4 : entry.size;
    const source = [denseSource(fields, kind, step), indexedSource(fields, kind, step), inUseSource(fields, inUse, kind, step)].join('\n');
    fns = cached[kind] = new Function(`${source}\nreturn { dense, indexed, inUse };`)() as Compiled;
  }
  return fns;
}

/**
 * The column extractor for `fields` of the entries `entry.size` bytes apart from byte `base`
 * of `view`; `inUse` is the field that marks a slot in use (refcount), or the first field
 * when every slot is. Reads whole 32-bit words when the entries are 4-byte aligned in
 * memory, the host is little-endian, the blob is under 4 GiB and every field lies inside a
 * little-endian word; DataView getters otherwise.
 */
export function columnExtractor(view: DataView, base: number, entry: StructLayout, fields: readonly FieldLayout[], inUse: FieldLayout | null): ColumnExtractor {
  const test = inUse ?? fields[0] ?? entry.fields[0]!;
  const origin = view.byteOffset + base;
  const cached = compiledFor(fields, test);
  const length = Math.floor((view.byteLength - base) / 4);
  const words = LITTLE_ENDIAN_HOST && origin % 4 === 0 && entry.size % 4 === 0 && length <= MAX_WORDS && cached.wordsFit;
  const fns = compile(entry, fields, test, words ? 'words' : 'view', cached);
  const src = !words ? view : length > 0 ? new Uint32Array(view.buffer, origin, length) : new Uint32Array(0);
  const at = words ? 0 : base;
  return {
    fill: (indices, n, columns) => (indices ? fns.indexed(src, at, indices, n, ...columns) : fns.dense(src, at, n, ...columns)),
    fillInUse: (slots, columns) => fns.inUse(src, at, slots, ...columns),
  };
}

const single = new WeakMap<FieldLayout, readonly FieldLayout[]>();

/** The one-field array of `f`, the same each time (the compiled loops are cached by it). */
export function fieldAlone(f: FieldLayout): readonly FieldLayout[] {
  let fields = single.get(f);
  if (!fields) single.set(f, (fields = [f]));
  return fields;
}
