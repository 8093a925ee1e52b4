import { getAbi } from '../../src/index.js';

/** One slot: every pci_dev_ser field by name (missing fields are 0). */
export type Slot = Readonly<Record<string, number>>;

export interface BlobSpec {
  /** struct pci_ser fields by name (missing fields are 0). */
  readonly root?: Readonly<Record<string, number | bigint>>;
  readonly slots?: readonly Slot[];
  /** Total size; default root + slots. */
  readonly size?: number;
  /** Raw bytes to set: [offset, value]. */
  readonly poke?: ReadonlyArray<readonly [number, number]>;
}

/** Build a blob byte by byte from the registry layout (no codec involved, so any corruption is possible). */
export function makeBlob(id: string, spec: BlobSpec): Uint8Array {
  const abi = getAbi(id);
  const base = abi.roles.devices.offset;
  const slots = spec.slots ?? [];
  const natural = abi.storage === 'inline' ? base + slots.length * abi.entry.size : abi.root.size;
  const bytes = new Uint8Array(spec.size ?? natural);
  const view = new DataView(bytes.buffer);
  const put = (at: number, size: number, v: number | bigint) => {
    if (at + size > bytes.length) return;
    if (size === 8) view.setBigUint64(at, BigInt(v), true);
    else if (size === 4) view.setUint32(at, Number(v), true);
    else if (size === 2) view.setUint16(at, Number(v), true);
    else view.setUint8(at, Number(v));
  };
  for (const f of abi.root.fields) if (!f.flexible) put(f.offset, f.size, spec.root?.[f.name] ?? 0);
  slots.forEach((slot, i) => {
    for (const f of abi.entry.fields) put(base + i * abi.entry.size + f.offset, f.size, slot[f.name] ?? 0);
  });
  for (const [at, v] of spec.poke ?? []) bytes[at] = v;
  return bytes;
}

/** A device slot: domain, bdf from `bus:slot.func`, and the rest. */
export function dev(domain: number, bus: number, slot: number, func: number, rest: Slot = {}): Slot {
  return { domain, bdf: (bus << 8) | (slot << 3) | func, ...rest };
}
