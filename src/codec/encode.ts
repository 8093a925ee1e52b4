import { UsageError } from '../errors.js';
import type { FieldLayout } from '../layout/engine.js';
import { parseAddress, formatAddress } from '../pci-address.js';
import { getAbi, type AbiName, type PciAbi } from '../registry.js';
import { DecodedBlob } from './decode.js';
import { refuseUnknownKeys } from './device-keys.js';
import { fastEntryWriter } from './entry-writer.js';
import { writeInt } from '../layout/field-io.js';
import { intRange, toFieldInt } from './scalar.js';
import { claimedSlots } from './slots.js';

/** Largest blob encode will build (the kernel's own limit is 4 MiB: MAX_PAGE_ORDER pages). */
export const MAX_ENCODE_SIZE = 1 << 30;

/** A run of raw bytes to place at an offset: the `extra` of a decoded blob. */
export interface ExtraInput {
  readonly offset: number;
  readonly bytes?: Uint8Array;
  /** The same bytes as hex, as `decode --json` prints them. */
  readonly hex?: string;
}

/**
 * One device to encode, as `decode --json` prints it: the pci_dev_ser fields by C name
 * (number, bigint, or decimal / 0x-hex string), or `address` instead of domain and bdf.
 * Any other key is refused: a misspelled `reserved` would otherwise read as absent.
 */
export interface EncodeDevice {
  readonly index?: number;
  readonly address?: string;
  readonly domain?: unknown;
  readonly bdf?: unknown;
  readonly refcount?: unknown;
  readonly reserved?: unknown;
  readonly padding?: unknown;
}

/** What encode needs: the shape of `decode --json`, or a DecodedBlob itself. */
export interface EncodeInput {
  readonly root: Readonly<Record<string, unknown>>;
  readonly devices?: Iterable<EncodeDevice> | null;
  /** Total blob size; default the smallest that holds every slot the root accounts for. */
  readonly size?: number;
  readonly extra?: readonly ExtraInput[];
}

/**
 * Encode a blob under an ABI id: the inverse of decode. Every root field must be given;
 * a value that does not fit its field, a slot outside the root's slots, or raw bytes over
 * a decoded field is a UsageError, never a wrap or a silent default.
 */
export function encode<S extends string>(input: EncodeInput, abi: AbiName<S>): Uint8Array {
  const layout = getAbi(abi as string);
  if (typeof input !== 'object' || input === null || typeof input.root !== 'object' || input.root === null) {
    throw new UsageError('expected an object with a "root" object (the output of decode --json)');
  }
  // A decoded blob nobody changed: its bytes are the encoding (stale slots, holes, trailing bytes and all).
  if (input instanceof DecodedBlob && input.layout === layout && layout.storage === 'inline' && input.unchanged) return input.bytes.slice();
  const root = rootValues(layout, input.root);
  const slots = slotCount(layout, root);
  const base = layout.roles.devices.offset;
  const minSize = layout.storage === 'inline' ? base + slots * layout.entry.size : layout.root.size;
  const size = blobSize(input.size, minSize, layout);
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  for (const f of layout.root.fields) if (!f.flexible) writeInt(view, f.offset, f, root.get(f.name)!);

  const used = writeDevices(layout, view, input.devices, root, slots);
  const covered = (offset: number, end: number) => {
    if (layout.root.fields.some((f) => offset < f.offset + f.size && f.offset < end)) return true;
    const first = Math.max(0, Math.floor((offset - base) / layout.entry.size));
    const last = Math.min(slots - 1, Math.floor((end - 1 - base) / layout.entry.size));
    for (let i = first; i <= last; i++) if (used[i]) return true;
    return false;
  };
  (input.extra ?? []).forEach((run, k) => placeRun(bytes, run, `extra[${k}]`, covered));
  return bytes;
}

function rootValues(layout: PciAbi, input: Readonly<Record<string, unknown>>): Map<string, bigint> {
  const values = new Map<string, bigint>();
  const fields = layout.root.fields.filter((f) => !f.flexible);
  for (const key of Object.keys(input)) {
    if (!fields.some((f) => f.name === key)) {
      throw new UsageError(`struct pci_ser of ${layout.id} has no field "${key}" (it has ${fields.map((f) => f.name).join(', ')})`, 'root');
    }
  }
  for (const f of fields) {
    if (input[f.name] === undefined) throw new UsageError(`missing; every field of struct pci_ser must be given`, `root.${f.name}`);
    values.set(f.name, toFieldInt(input[f.name], f, `root.${f.name}`));
  }
  return values;
}

/** Entry slots the root accounts for (claimedSlots), bounded by what encode builds. */
function slotCount(layout: PciAbi, root: Map<string, bigint>): number {
  if (layout.storage !== 'inline') return 0;
  const max = layout.roles.max ? root.get(layout.roles.max.name)! : undefined;
  const claimed = claimedSlots(layout, root.get('nr_devices')!, max).count;
  const limit = BigInt(Math.floor(MAX_ENCODE_SIZE / layout.entry.size));
  if (claimed > limit) throw new UsageError(`root claims ${claimed} entries; encode builds at most ${limit}`, 'root');
  return Number(claimed);
}

function blobSize(size: unknown, minSize: number, layout: PciAbi): number {
  if (size === undefined) return minSize;
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
    throw new UsageError(`expected a byte count, got ${JSON.stringify(size)}`, 'size');
  }
  if (size < minSize) throw new UsageError(`${size} bytes cannot hold what the root of ${layout.id} accounts for (${minSize} bytes)`, 'size');
  if (size > MAX_ENCODE_SIZE) throw new UsageError(`${size} bytes is more than encode builds (${MAX_ENCODE_SIZE})`, 'size');
  return size;
}

/** One pci_dev_ser field, flattened to one object shape so the hot loop stays monomorphic. */
interface EntryWriter {
  readonly f: FieldLayout;
  readonly name: string;
  readonly offset: number;
  readonly width: number;
  readonly le: boolean;
  readonly min: number;
  readonly max: number;
  readonly required: boolean;
  readonly isRefcount: boolean;
}

/** Write every device into its slot; returns which slots hold a device. */
function writeDevices(
  layout: PciAbi,
  view: DataView,
  devices: EncodeInput['devices'],
  root: Map<string, bigint>,
  slots: number,
): Uint8Array {
  if (devices != null && typeof (devices as Iterable<unknown>)[Symbol.iterator] !== 'function') throw new UsageError('expected an array', 'devices');
  if (devices != null && layout.storage !== 'inline') {
    for (const _ of devices) throw new UsageError(`devices of ${layout.id} live in a KHO block chain: encoding them needs a memory image (encodeImage)`, 'devices');
  }
  if (layout.storage !== 'inline') return new Uint8Array(slots);
  return writeEntries(layout, view, layout.roles.devices.offset, devices, slots, Number(root.get('nr_devices')!));
}

/**
 * Write devices into slots [0, slots) of pci_dev_ser entries starting at `base`;
 * returns which slots hold a device. `nr` bounds the devices of sorted layouts.
 */
export function writeEntries(
  layout: PciAbi,
  view: DataView,
  base: number,
  devices: EncodeInput['devices'],
  slots: number,
  nr: number,
): Uint8Array {
  const used = new Uint8Array(slots);
  if (devices == null) return used;
  if (typeof (devices as Iterable<unknown>)[Symbol.iterator] !== 'function') throw new UsageError('expected an array', 'devices');
  const { roles, semantics } = layout;
  const writer = (f: FieldLayout): EntryWriter => {
    const [min, max] = intRange(f);
    return {
      f,
      name: f.name,
      offset: f.offset,
      width: f.elementSize,
      le: !f.bigEndian,
      min: Number(min),
      max: Number(max),
      required: f !== roles.reserved,
      isRefcount: f === roles.refcount,
    };
  };
  const writers = { domain: writer(roles.domain), bdf: writer(roles.bdf), others: layout.entry.fields.filter((f) => f !== roles.domain && f !== roles.bdf).map(writer) };
  const slow = (dev: unknown, k: number) => writeDeviceChecked(layout, view, base, dev, k, { slots, nr, used, writers });
  const k = fastEntryWriter(layout, devices)(view, base, devices, slots, nr, used, slow);
  if (semantics === 'sorted' && k !== nr) {
    throw new UsageError(`nr_devices is ${nr} but ${k} devices are given; sorted layouts store exactly nr_devices devices`, 'devices');
  }
  return used;
}

interface SlotState {
  readonly slots: number;
  readonly nr: number;
  readonly used: Uint8Array;
  readonly writers: { readonly domain: EntryWriter; readonly bdf: EntryWriter; readonly others: readonly EntryWriter[] };
}

/** Write one device with every check (the slow path of the compiled writer), or throw the precise error. */
function writeDeviceChecked(layout: PciAbi, view: DataView, base: number, value: unknown, k: number, state: SlotState): void {
  const { slots, nr, used, writers } = state;
  const { semantics } = layout;
  const at = `devices[${k}]`;
  if (typeof value !== 'object' || value === null) throw new UsageError('expected an object', at);
  const dev = value as Readonly<Record<string, unknown>>;
  if (semantics === 'skeleton') throw new UsageError(`${layout.id} is a skeleton: no device is ever written; put raw slot bytes in "extra"`, at);
  refuseUnknownKeys(layout, dev, at);
  const index = dev.index === undefined ? k : dev.index;
  if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= slots) {
    throw new UsageError(`index ${JSON.stringify(index)} is not a slot of this blob (0..${slots - 1})`, at);
  }
  if (semantics === 'sorted' && index >= nr) {
    throw new UsageError(`index ${index} is past nr_devices (${nr}): entries past nr_devices are not devices; put their bytes in "extra"`, at);
  }
  if (used[index]) throw new UsageError(`slot ${index} is given twice`, at);
  const { domain, bdf } = dev.address === undefined ? dev : addressed(dev, at);
  const slot = base + index * layout.entry.size;
  writeField(view, slot, writers.domain, domain, k);
  writeField(view, slot, writers.bdf, bdf, k);
  for (const w of writers.others) {
    const v = dev[w.name];
    if (v === undefined) {
      if (w.required) throw new UsageError('missing', `${at}.${w.name}`);
      continue;
    }
    if (w.isRefcount && v === 0 && semantics !== 'sorted') {
      throw new UsageError('refcount 0 marks a free slot, not a device; put its bytes in "extra"', `${at}.refcount`);
    }
    writeField(view, slot, w, v, k);
  }
  used[index] = 1;
}

/** Range-check one device field and write it; a non-number value takes the slow, exact path. */
function writeField(view: DataView, slot: number, w: EntryWriter, v: unknown, k: number): void {
  if (v === undefined) throw new UsageError('missing', `devices[${k}].${w.name}`);
  const n = typeof v === 'number' && Number.isInteger(v) && v >= w.min && v <= w.max ? v : Number(toFieldInt(v, w.f, `devices[${k}].${w.name}`));
  const at = slot + w.offset;
  if (w.width === 1) view.setUint8(at, n & 0xff);
  else if (w.width === 2) view.setUint16(at, n & 0xffff, w.le);
  else view.setUint32(at, n >>> 0, w.le);
}

/** domain and bdf taken from `address` when absent, and checked against it when present. */
function addressed(dev: Readonly<Record<string, unknown>>, path: string): { domain: unknown; bdf: unknown } {
  const parsed = typeof dev.address === 'string' ? parseAddress(dev.address) : null;
  if (!parsed) throw new UsageError(`${JSON.stringify(dev.address)} is not a PCI address like 0000:3b:00.0`, `${path}.address`);
  const domain = dev.domain ?? parsed.domain;
  const bdf = dev.bdf ?? parsed.bdf;
  if (domain !== parsed.domain || bdf !== parsed.bdf) {
    const given = typeof domain === 'number' && typeof bdf === 'number' ? formatAddress(domain, bdf) : `${String(domain)}/${String(bdf)}`;
    throw new UsageError(`address ${dev.address} disagrees with domain/bdf (${given}); change both or drop one`, `${path}.address`);
  }
  return { domain, bdf };
}

function placeRun(
  bytes: Uint8Array,
  run: ExtraInput,
  path: string,
  covered: (offset: number, end: number) => boolean,
): void {
  if (typeof run !== 'object' || run === null) throw new UsageError('expected { offset, hex }', path);
  const { offset } = run;
  const data = run.bytes ?? (typeof run.hex === 'string' ? hexBytes(run.hex, path) : undefined);
  if (!data) throw new UsageError('expected "hex" (or "bytes")', path);
  if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0 || offset + data.length > bytes.length) {
    throw new UsageError(`offset ${JSON.stringify(offset)} with ${data.length} bytes is outside the ${bytes.length}-byte blob`, path);
  }
  if (data.length > 0 && covered(offset, offset + data.length)) {
    throw new UsageError(`bytes at ${offset}..${offset + data.length} overlap a decoded field; change the field instead`, path);
  }
  bytes.set(data, offset);
}

function hexBytes(hex: string, path: string): Uint8Array {
  if (!/^([0-9a-f]{2})*$/i.test(hex)) throw new UsageError('"hex" must be an even number of hex digits', `${path}.hex`);
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}
