import type { FieldLayout, StructLayout } from '../layout/engine.js';
import { DecodedDevice } from './device-entry.js';

/** Reads the in-use entries of one pci_dev_ser layout, compiled from its fields. */
export interface EntryReader {
  /** The entry at byte `at` of `view`, stored in slot `index`. */
  readonly read: (view: DataView, at: number, index: number) => DecodedDevice;
  /** The in-use entries in storage order: slot `indices[i]` (or `i` when null) for i < count. */
  readonly entries: (view: DataView, base: number, indices: Uint32Array | null, count: number) => IterableIterator<DecodedDevice>;
  /** The class of the entries: `index` and each field as own properties, nothing else. */
  readonly Entry: abstract new (...args: never[]) => DecodedDevice;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Names the entry object uses itself: a field by one of these names cannot be a property. */
const OWN_NAMES = new Set(['index', 'address', 'toJSON', 'constructor']);
const cache = new WeakMap<StructLayout, EntryReader>();

/** The DataView getter of an integer field: `getUint16`, `getInt32`, … */
export function getterOf(f: FieldLayout): string {
  return `get${f.signed ? 'Int' : 'Uint'}${f.elementSize * 8}`;
}

/** An expression reading field `f` of the entry at byte `at` of `view`. */
export function fieldRead(f: FieldLayout, view: string, at: string): string {
  const le = f.elementSize === 1 ? '' : `, ${!f.bigEndian}`;
  return `${view}.${getterOf(f)}(${at} + ${f.offset}${le})`;
}

/** The class of one entry: `index` and each field, in that order, as own properties. */
export function entryClassSource(entry: StructLayout): string {
  const names = entry.fields.map((f) => f.name);
  const assigns = ['index', ...names].map((n) => `this.${n} = ${n};`).join(' ');
  return `class ${entry.name} extends DecodedDevice { constructor(${['index', ...names].join(', ')}) { super(); ${assigns} } }`;
}

/** `read(view, at, index)`: one entry object, every field read from the bytes. */
export function readSource(entry: StructLayout): string {
  const args = ['index', ...entry.fields.map((f) => fieldRead(f, 'view', 'at'))].join(', ');
  return `function read(view, at, index) { return new ${entry.name}(${args}); }`;
}

/** The iterator over the in-use entries: one class, so for-of stays monomorphic and allocates only the entries. */
export function cursorSource(entry: StructLayout): string {
  return `class Cursor {
  constructor(view, base, indices, count) { this.view = view; this.base = base; this.indices = indices; this.count = count; this.i = 0; }
  next() {
    const i = this.i;
    if (i >= this.count) return { value: undefined, done: true };
    this.i = i + 1;
    const index = this.indices === null ? i : this.indices[i];
    return { value: read(this.view, this.base + index * ${entry.size}, index), done: false };
  }
  [Symbol.iterator]() { return this; }
}`;
}

/** Why an entry struct cannot be compiled, or undefined. */
function unsupported(entry: StructLayout): string | undefined {
  if (!IDENT.test(entry.name)) return `struct name ${entry.name} is not an identifier`;
  for (const f of entry.fields) {
    if (!IDENT.test(f.name) || OWN_NAMES.has(f.name)) return `field name ${f.name} cannot be a property of a decoded device`;
    if (f.kind !== 'int' || f.count !== undefined || f.flexible || f.bitSize !== undefined || f.elementSize > 4) return `field ${f.name} is not a scalar integer of at most 32 bits`;
  }
  return undefined;
}

/**
 * The entry reader of a pci_dev_ser layout, generated from its fields and cached: a class
 * per layout (plain own properties, one hidden class), a reader with one DataView load per
 * field, and a cursor for for-of. The generated text comes from the registry alone.
 */
export function entryReader(entry: StructLayout): EntryReader {
  const cached = cache.get(entry);
  if (cached) return cached;
  const why = unsupported(entry);
  if (why) throw new Error(`struct ${entry.name}: ${why}`);
  const source = [entryClassSource(entry), readSource(entry), cursorSource(entry)].join('\n');
  const compiled = new Function('DecodedDevice', `${source}\nreturn { read, entries: (view, base, indices, count) => new Cursor(view, base, indices, count), Entry: ${entry.name} };`);
  const reader = compiled(DecodedDevice) as EntryReader;
  cache.set(entry, reader);
  return reader;
}
