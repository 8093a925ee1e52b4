import { UsageError } from '../errors.js';
import type { FieldLayout, StructLayout } from '../layout/engine.js';
import { columnArray, type Column } from './column.js';
import { columnExtractor, fieldAlone, type ColumnExtractor } from './column-extractor.js';
import type { DecodedDevice } from './device-entry.js';
import { entryReader, type EntryReader } from './entry-reader.js';
import { inUseSlots } from './in-use-slots.js';

export type { Column } from './column.js';

/**
 * One in-use entry: its storage index, its lspci address (formatted when read) and every
 * pci_dev_ser field by its C name.
 */
export interface DeviceBase {
  readonly index: number;
  readonly address: string;
  readonly domain: number;
  readonly bdf: number;
  readonly refcount?: number;
  /** The device as `decode --json` prints it, `address` included. */
  toJSON(): Record<string, number | string>;
}

/** The bytes behind a DeviceList, for encode to copy entries from. */
export interface EntryStorage {
  readonly view: DataView;
  readonly base: number;
  readonly entry: StructLayout;
  readonly indices: Uint32Array | null;
  readonly length: number;
}

/** One typed array per pci_dev_ser field of a device type, by the field's C name. */
export type Columns<D extends DeviceBase = DeviceBase> = {
  readonly [K in keyof D as K extends 'index' | 'address' | 'toJSON' ? never : K]: Column;
};

/**
 * The in-use entries of a blob, read from the bytes on demand: decoding a large
 * blob costs no object per entry until an entry is asked for.
 */
export class DeviceList<D extends DeviceBase = DeviceBase> implements Iterable<D> {
  private readonly reader: EntryReader;
  /** Storage index of each in-use entry (null: slots 0..slots-1 all are); undefined until the slots are scanned. */
  #indices: Uint32Array | null | undefined;
  /** How many entries are in use, once known. */
  #length: number | undefined;
  /** The extractor of every field, made on the first columns(). */
  #allColumns: ColumnExtractor | undefined;

  /**
   * @param view the blob
   * @param base byte offset of slot 0
   * @param entry struct pci_dev_ser
   * @param slots entry slots devices[0..slots)
   * @param inUse the field that is non-zero in a slot in use (refcount), or null when every slot is in use
   */
  constructor(
    private readonly view: DataView,
    private readonly base: number,
    private readonly entry: StructLayout,
    private readonly slots: number,
    private readonly inUse: FieldLayout | null,
  ) {
    this.reader = entryReader(entry);
    if (!inUse) {
      this.#indices = null;
      this.#length = slots;
    }
  }

  /** How many entries are in use. */
  get length(): number {
    if (this.#length === undefined) this.#scan();
    return this.#length!;
  }

  /** The in-use slots (null: every slot), scanned on first use; `#length` is known after. */
  #scan(): Uint32Array | null {
    if (this.#indices === undefined) {
      this.#indices = inUseSlots(this.view, this.base, this.entry.size, this.inUse!, this.slots);
      this.#length = this.#indices ? this.#indices.length : this.slots;
    }
    return this.#indices;
  }

  /** Where the entries are: slot 0 at byte `base` of `view`, laid out as `entry`; the in-use slots `indices` (null: 0..length-1). */
  get storage(): EntryStorage {
    const indices = this.#scan();
    return { view: this.view, base: this.base, entry: this.entry, indices, length: this.length };
  }

  /** Storage index (slot number) of the i-th in-use entry. */
  indexAt(i: number): number {
    const indices = this.#scan();
    return indices ? indices[i]! : i;
  }

  /** The i-th in-use entry (negative counts from the end), or undefined. */
  at(i: number): D | undefined {
    const k = i < 0 ? this.length + i : i;
    if (!Number.isInteger(k) || k < 0 || k >= this.length) return undefined;
    const index = this.indexAt(k);
    return this.reader.read(this.view, this.base + index * this.entry.size, index) as DecodedDevice & D;
  }

  [Symbol.iterator](): IterableIterator<D> {
    const indices = this.#scan();
    return this.reader.entries(this.view, this.base, indices, this.#length!) as IterableIterator<DecodedDevice & D>;
  }

  /** Every in-use entry as an object. */
  toArray(): D[] {
    return Array.from(this);
  }

  /** One field of every in-use entry as a typed array, read in one pass. */
  column(name: string): Column {
    const f = this.entry.fields.find((x) => x.name === name);
    if (!f) throw new Error(`struct pci_dev_ser has no field ${name}`);
    const indices = this.#scan();
    const out = new (columnArray(f))(this.#length!);
    columnExtractor(this.view, this.base, this.entry, fieldAlone(f), this.inUse).fill(indices, out.length, [out]);
    return out;
  }

  /**
   * Every field of every in-use entry, each as a typed array of its own integer type, read in
   * one pass over the entries. `into` lends arrays to fill (each of its field's type, and long
   * enough for every in-use entry); the columns returned are then views of their first
   * `length` rows. A field not lent gets a new array. When every field is lent with a row per
   * slot and the slots were not scanned yet, the in-use test shares the pass, and rows past
   * the in-use ones may be overwritten.
   */
  columns(into: Partial<Columns<D>> = {}): Columns<D> {
    const fields = this.entry.fields;
    const lent = into as Partial<Record<string, Column>>;
    for (const f of fields) {
      const a = lent[f.name];
      if (a !== undefined && !(a instanceof columnArray(f))) throw new UsageError(`expected a ${columnArray(f).name} for ${f.type} ${f.name}`, `into.${f.name}`);
    }
    const extract = (this.#allColumns ??= columnExtractor(this.view, this.base, this.entry, fields, this.inUse));
    let out: Column[];
    let n: number;
    if (this.#indices === undefined && fields.every((f) => (lent[f.name]?.length ?? -1) >= this.slots)) {
      // Unscanned slots and room for every one: test and copy in the same pass.
      out = fields.map((f) => lent[f.name]!);
      n = extract.fillInUse(this.slots, out);
      this.#length = n;
      if (n === this.slots) this.#indices = null;
    } else {
      const indices = this.#scan();
      n = this.#length!;
      out = fields.map((f) => {
        const a = lent[f.name];
        if (a && a.length < n) throw new UsageError(`has room for ${a.length} values, ${n} devices are in use`, `into.${f.name}`);
        return a ?? new (columnArray(f))(n);
      });
      extract.fill(indices, n, out);
    }
    const columns: Record<string, Column> = {};
    for (let i = 0; i < fields.length; i++) columns[fields[i]!.name] = out[i]!.length === n ? out[i]! : out[i]!.subarray(0, n);
    return columns as Columns<D>;
  }
}
