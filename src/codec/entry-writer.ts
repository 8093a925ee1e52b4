import type { FieldLayout } from '../layout/engine.js';
import { isAddressOf } from '../pci-address.js';
import type { PciAbi } from '../registry.js';
import { DecodedDevice } from './device-entry.js';
import { DeviceList } from './device-list.js';
import { unknownKeyFinder } from './device-keys.js';
import { entryReader, fieldRead } from './entry-reader.js';

/**
 * Writes the devices it can prove well-formed straight into their slots and hands every
 * other one (an address to parse, a string value, a missing field, a bad slot)
 * to `slow`, which writes it with every check or throws. Returns the number of devices.
 */
export type FastEntryWriter = (
  view: DataView,
  base: number,
  devices: Iterable<unknown>,
  slots: number,
  nr: number,
  used: Uint8Array,
  slow: (dev: unknown, k: number) => void,
) => number;

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Object writers kept per layout beyond which new device shapes share one. */
const MAX_SHAPES = 8;
const SHARED = '';

interface LayoutWriters {
  /** Object writers by device shape (shapeOf). */
  readonly byShape: Map<string, FastEntryWriter>;
  readonly copy: EntryCopier;
}

const cache = new WeakMap<PciAbi, LayoutWriters>();

/** An expression that is true iff `v` is a number that is an integer in the field's range. */
export function fitsSource(v: string, f: FieldLayout): string {
  const bits = f.elementSize * 8;
  const check = f.signed
    ? bits === 32 ? `(${v} | 0) === ${v}` : `((${v} << ${32 - bits}) >> ${32 - bits}) === ${v}`
    : bits === 32 ? `(${v} >>> 0) === ${v}` : `(${v} & ${2 ** bits - 1}) === ${v}`;
  // typeof first: bitwise operators throw on a bigint.
  return `typeof ${v} === 'number' && ${check}`;
}

/** A statement storing `v` in field `f` of the entry at byte `at` of `view`, in its byte order. */
export function storeSource(f: FieldLayout, v: string, at: string): string {
  const le = f.elementSize === 1 ? '' : `, ${!f.bigEndian}`;
  return `view.set${f.signed ? 'Int' : 'Uint'}${f.elementSize * 8}(${at} + ${f.offset}, ${v}${le});`;
}

/** The highest slot index + 1 a device may take: nr_devices bounds the devices of sorted layouts. */
function limitSource(layout: PciAbi): string {
  return layout.semantics === 'sorted' ? 'Math.min(slots, nr)' : 'slots';
}

/**
 * The loop that writes device objects: plain property loads, one-operation range checks
 * and DataView stores, no per-field dispatch. An object not of the layout's own entry
 * class has its keys checked (unknownKey) and a given `address` compared character by
 * character; an entry of that class holds `index` and its fields, its address derived.
 */
export function objectWriterSource(layout: PciAbi): string {
  const { entry, roles, semantics } = layout;
  const v = (f: FieldLayout) => `v${entry.fields.indexOf(f)}`;
  const loads = entry.fields.flatMap((f) => {
    const ok = fitsSource(v(f), f) + (f === roles.refcount && semantics !== 'sorted' ? ` && ${v(f)} !== 0` : '');
    return [`const ${v(f)} = dev.${f.name};`, f === roles.reserved ? `if (${v(f)} !== undefined && !(${ok})) break fast;` : `if (!(${ok})) break fast;`];
  });
  const stores = entry.fields.map((f) => (f === roles.reserved ? `if (${v(f)} !== undefined) ${storeSource(f, v(f), 'at')}` : storeSource(f, v(f), 'at')));
  return `(view, base, devices, slots, nr, used, slow) => {
  const limit = ${limitSource(layout)};
  let k = 0;
  for (const dev of devices) {
    fast: {
      if (${semantics === 'skeleton'} || typeof dev !== 'object' || dev === null) break fast;
      const index = dev.index === undefined ? k : dev.index;
      if ((index >>> 0) !== index || index >= limit || used[index] !== 0) break fast;
      ${loads.join('\n      ')}
      if (!(dev instanceof Entry)) {
        if (unknownKey(dev) !== undefined) break fast;
        const address = dev.address;
        if (address !== undefined && !(typeof address === 'string' && isAddressOf(address, ${v(roles.domain)}, ${v(roles.bdf)}))) break fast;
      }
      used[index] = 1;
      const at = base + index * ${entry.size};
      ${stores.join('\n      ')}
      k++;
      continue;
    }
    slow(dev, k);
    k++;
  }
  return k;
}`;
}

/**
 * Copies the in-use entries of a DeviceList of the same layout from their bytes: one
 * DataView load and store per field, no object per entry. What decode proved of the
 * bytes is checked again (a slot past the root's, a freed refcount): those entries take `slow`.
 */
type EntryCopier = (list: DeviceList, view: DataView, base: number, slots: number, nr: number, used: Uint8Array, slow: (k: number) => void) => number;

/** The source of an EntryCopier for one layout. */
export function copierSource(layout: PciAbi): string {
  const { entry, roles, semantics } = layout;
  const v = (f: FieldLayout) => `v${entry.fields.indexOf(f)}`;
  const refused = [`${semantics === 'skeleton'}`, 'index >= limit', 'used[index] !== 0', ...(roles.refcount && semantics !== 'sorted' ? [`${v(roles.refcount)} === 0`] : [])];
  return `(list, view, base, slots, nr, used, slow) => {
  const { view: src, base: from, indices, length } = list.storage;
  const limit = ${limitSource(layout)};
  for (let k = 0; k < length; k++) {
    const index = indices === null ? k : indices[k];
    const s = from + index * ${entry.size};
    ${entry.fields.map((f) => `const ${v(f)} = ${fieldRead(f, 'src', 's')};`).join('\n    ')}
    if (${refused.join(' || ')}) {
      slow(k);
      continue;
    }
    used[index] = 1;
    const at = base + index * ${entry.size};
    ${entry.fields.map((f) => storeSource(f, v(f), 'at')).join('\n    ')}
  }
  return length;
}`;
}

/** A compiled function from generated source and the values it names; `tag` makes the text unique, so V8 gives it feedback of its own. */
function compile<T>(source: string, tag: string, scope: Record<string, unknown> = {}): T {
  const names = Object.keys(scope);
  return new Function(...names, `// ${tag}\nreturn ${source};`)(...names.map((n) => scope[n])) as T;
}

function writersOf(layout: PciAbi): LayoutWriters {
  let w = cache.get(layout);
  if (!w) {
    if (!layout.entry.fields.every((f) => IDENT.test(f.name) && f.elementSize <= 4)) throw new Error(`abi ${layout.id}: pci_dev_ser cannot be compiled`);
    w = { byShape: new Map(), copy: compile<EntryCopier>(copierSource(layout), `${layout.id} copy`) };
    cache.set(layout, w);
  }
  return w;
}

/**
 * The shape of the devices as far as the first one shows it: the decoded entry class, the
 * own keys of a plain object in order, or SHARED when there is no array to look into.
 */
export function shapeOf(devices: Iterable<unknown>): string {
  const first: unknown = Array.isArray(devices) ? devices[0] : undefined;
  if (first instanceof DecodedDevice) return `class ${first.constructor.name}`;
  return typeof first === 'object' && first !== null ? `keys ${Object.keys(first).join(',')}` : SHARED;
}

/**
 * The fast path of encode for one layout and the devices at hand, compiled from its
 * pci_dev_ser fields (the text comes from the registry alone: field names are checked
 * identifiers). A DeviceList of the same layout is copied from its bytes. Objects go
 * through a writer compiled for their shape: V8 specializes each property load to the
 * shapes its code has seen, so one writer for all shapes would slow every one down.
 */
export function fastEntryWriter(layout: PciAbi, devices: Iterable<unknown>): FastEntryWriter {
  const writers = writersOf(layout);
  if (devices instanceof DeviceList && devices.storage.entry === layout.entry) {
    return (view, base, list, slots, nr, used, slow) => writers.copy(list as DeviceList, view, base, slots, nr, used, (k) => slow((list as DeviceList).at(k), k));
  }
  const shape = writers.byShape.size < MAX_SHAPES ? shapeOf(devices) : SHARED;
  let writer = writers.byShape.get(shape);
  if (!writer) {
    const scope = { isAddressOf, unknownKey: unknownKeyFinder(layout), Entry: entryReader(layout.entry).Entry };
    writer = compile<FastEntryWriter>(objectWriterSource(layout), `${layout.id} writer ${writers.byShape.size}`, scope);
    writers.byShape.set(shape, writer);
  }
  return writer;
}
