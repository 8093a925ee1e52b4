import type { FieldLayout } from '../layout/engine.js';
import { formatAddress } from '../pci-address.js';
import { readInt } from '../layout/field-io.js';

/** One in-use entry: its storage index, its lspci address and every pci_dev_ser field by its C name. */
export interface DeviceBase {
  readonly index: number;
  readonly address: string;
  readonly domain: number;
  readonly bdf: number;
  readonly refcount?: number;
}

/** Typed arrays holding one entry field per in-use device. */
export type Column = Uint8Array | Uint16Array | Uint32Array | Int8Array | Int16Array | Int32Array;

/**
 * The in-use entries of a blob, read from the bytes on demand: decoding a large
 * blob costs no object per entry until an entry is asked for.
 */
export class DeviceList<D extends DeviceBase = DeviceBase> implements Iterable<D> {
  readonly length: number;

  /**
   * @param view the blob
   * @param base byte offset of slot 0
   * @param stride bytes per slot (sizeof struct pci_dev_ser)
   * @param fields the pci_dev_ser fields
   * @param indices storage index of each in-use entry, or null when entries 0..count-1 are in use
   */
  constructor(
    private readonly view: DataView,
    private readonly base: number,
    private readonly stride: number,
    private readonly fields: readonly FieldLayout[],
    private readonly indices: Uint32Array | null,
    count: number,
  ) {
    this.length = indices ? indices.length : count;
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
    const at = this.base + index * this.stride;
    const values: Record<string, number> = {};
    for (const f of this.fields) values[f.name] = readInt(this.view, at + f.offset, f) as number;
    const { domain, bdf, ...rest } = values;
    return { index, domain, bdf, address: formatAddress(domain!, bdf!), ...rest } as unknown as D;
  }

  *[Symbol.iterator](): Iterator<D> {
    for (let i = 0; i < this.length; i++) yield this.at(i)!;
  }

  /** Every in-use entry as an object. */
  toArray(): D[] {
    return Array.from(this);
  }

  /** One field of every in-use entry as a typed array, read in one pass (the fast path). */
  column(name: string): Column {
    const f = this.fields.find((x) => x.name === name);
    if (!f) throw new Error(`struct pci_dev_ser has no field ${name}`);
    const n = this.length;
    const le = !f.bigEndian;
    const { view, stride, indices } = this;
    const start = this.base + f.offset;
    // Separate loops for dense and indexed lists: mixing the two in one expression makes V8 box each index.
    switch (f.elementSize) {
      case 1: {
        const out = f.signed ? new Int8Array(n) : new Uint8Array(n);
        if (indices) for (let i = 0; i < n; i++) out[i] = view.getUint8(start + indices[i]! * stride);
        else for (let i = 0, at = start; i < n; i++, at += stride) out[i] = view.getUint8(at);
        return out;
      }
      case 2: {
        const out = f.signed ? new Int16Array(n) : new Uint16Array(n);
        if (indices) for (let i = 0; i < n; i++) out[i] = view.getUint16(start + indices[i]! * stride, le);
        else for (let i = 0, at = start; i < n; i++, at += stride) out[i] = view.getUint16(at, le);
        return out;
      }
      case 4: {
        const out = f.signed ? new Int32Array(n) : new Uint32Array(n);
        if (indices) for (let i = 0; i < n; i++) out[i] = view.getUint32(start + indices[i]! * stride, le);
        else for (let i = 0, at = start; i < n; i++, at += stride) out[i] = view.getUint32(at, le);
        return out;
      }
      default:
        throw new Error(`field ${name}: ${f.elementSize}-byte entry fields are not supported`);
    }
  }
}
