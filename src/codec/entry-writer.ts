import type { FieldLayout } from '../layout/engine.js';
import { isAddressOf } from '../pci-address.js';
import type { PciAbi } from '../registry.js';
import { DecodedDevice } from './device-entry.js';

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
const cache = new WeakMap<PciAbi, FastEntryWriter>();

/** An expression that is true iff `v` is a number that is an integer in the field's range. */
function fits(v: string, f: FieldLayout): string {
  const bits = f.elementSize * 8;
  const check = f.signed
    ? bits === 32 ? `(${v} | 0) === ${v}` : `((${v} << ${32 - bits}) >> ${32 - bits}) === ${v}`
    : bits === 32 ? `(${v} >>> 0) === ${v}` : `(${v} & ${2 ** bits - 1}) === ${v}`;
  // typeof first: bitwise operators throw on a bigint.
  return `typeof ${v} === 'number' && ${check}`;
}

function setter(f: FieldLayout): string {
  return `set${f.signed ? 'Int' : 'Uint'}${f.elementSize * 8}`;
}

/**
 * The fast path of encode for one layout, compiled from its pci_dev_ser fields: plain
 * property loads, one-operation range checks and DataView stores, no per-field dispatch.
 * An `address` is compared character by character (a decoded device's is derived, so never read).
 * The generated text comes from the registry alone (field names are checked identifiers).
 */
export function fastEntryWriter(layout: PciAbi): FastEntryWriter {
  const cached = cache.get(layout);
  if (cached) return cached;
  const { entry, roles, semantics } = layout;
  if (!entry.fields.every((f) => IDENT.test(f.name) && f.elementSize <= 4)) throw new Error(`abi ${layout.id}: pci_dev_ser cannot be compiled`);
  const lines: string[] = [];
  entry.fields.forEach((f, i) => {
    const v = `v${i}`;
    lines.push(`const ${v} = dev.${f.name};`);
    const ok = fits(v, f) + (f === roles.refcount && semantics !== 'sorted' ? ` && ${v} !== 0` : '');
    lines.push(f === roles.reserved ? `if (${v} !== undefined && !(${ok})) break fast;` : `if (!(${ok})) break fast;`);
  });
  const stores = entry.fields.map((f, i) => {
    const le = f.elementSize === 1 ? '' : `, ${!f.bigEndian}`;
    return roles.reserved === f
      ? `if (v${i} !== undefined) view.${setter(f)}(at + ${f.offset}, v${i}${le});`
      : `view.${setter(f)}(at + ${f.offset}, v${i}${le});`;
  });
  const indexLimit = semantics === 'sorted' ? 'Math.min(slots, nr)' : 'slots';
  const body = `
    const limit = ${indexLimit};
    let k = 0;
    for (const dev of devices) {
      fast: {
        if (${semantics === 'skeleton'} || typeof dev !== 'object' || dev === null) break fast;
        const index = dev.index === undefined ? k : dev.index;
        if ((index >>> 0) !== index || index >= limit || used[index] !== 0) break fast;
        ${lines.join('\n        ')}
        if (!(dev instanceof DecodedDevice)) {
          const address = dev.address;
          if (address !== undefined && !isAddressOf(address, v${entry.fields.indexOf(roles.domain)}, v${entry.fields.indexOf(roles.bdf)})) break fast;
        }
        used[index] = 1;
        const at = base + index * ${entry.size};
        ${stores.join('\n        ')}
        k++;
        continue;
      }
      slow(dev, k);
      k++;
    }
    return k;`;
  const compiled = new Function('isAddressOf', 'DecodedDevice', `return (view, base, devices, slots, nr, used, slow) => {${body}\n};`);
  const writer = compiled(isAddressOf, DecodedDevice) as FastEntryWriter;
  cache.set(layout, writer);
  return writer;
}
