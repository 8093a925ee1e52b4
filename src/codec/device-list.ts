import type { StructLayout } from '../layout/engine.js';
import { readColumn, type Column } from './column.js';
import type { DecodedDevice } from './device-entry.js';
import { entryReader, type EntryReader } from './entry-reader.js';

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

/**
 * The in-use entries of a blob, read from the bytes on demand: decoding a large
 * blob costs no object per entry until an entry is asked for.
 */
export class DeviceList<D extends DeviceBase = DeviceBase> implements Iterable<D> {
  readonly length: number;
  private readonly reader: EntryReader;

  /**
   * @param view the blob
   * @param base byte offset of slot 0
   * @param entry struct pci_dev_ser
   * @param indices storage index of each in-use entry, or null when entries 0..count-1 are in use
   */
  constructor(
    private readonly view: DataView,
    private readonly base: number,
    private readonly entry: StructLayout,
    private readonly indices: Uint32Array | null,
    count: number,
  ) {
    this.length = indices ? indices.length : count;
    this.reader = entryReader(entry);
  }

  /** Where the entries are: slot 0 at byte `base` of `view`, laid out as `entry`; the in-use slots `indices` (null: 0..length-1). */
  get storage(): EntryStorage {
    return { view: this.view, base: this.base, entry: this.entry, indices: this.indices, length: this.length };
  }

  /** Storage index (slot number) of the i-th in-use entry. */
  indexAt(i: number): number {
    return this.indices ? this.indices[i]! : i;
  }

  /** The i-th in-use entry (negative counts from the end), or undefined. */
  at(i: number): D | undefined {
    const k = i < 0 ? this.length + i : i;
    if (!Number.isInteger(k) || k < 0 || k >= this.length) return undefined;
    const index = this.indexAt(k);
    return this.reader.read(this.view, this.base + index * this.entry.size, index) as DecodedDevice & D;
  }

  [Symbol.iterator](): IterableIterator<D> {
    return this.reader.entries(this.view, this.base, this.indices, this.length) as IterableIterator<DecodedDevice & D>;
  }

  /** Every in-use entry as an object. */
  toArray(): D[] {
    return Array.from(this);
  }

  /** One field of every in-use entry as a typed array, read in one pass (the fast path). */
  column(name: string): Column {
    const f = this.entry.fields.find((x) => x.name === name);
    if (!f) throw new Error(`struct pci_dev_ser has no field ${name}`);
    return readColumn(this.view, this.base + f.offset, this.entry.size, f, this.indices, this.length);
  }
}
