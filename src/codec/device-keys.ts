import { UsageError } from '../errors.js';
import type { PciAbi } from '../registry.js';

/** Returns the first key of a device object that is neither `index`, `address` nor a pci_dev_ser field, or undefined. */
export type UnknownKeyFinder = (dev: object) => string | undefined;

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const cache = new WeakMap<PciAbi, UnknownKeyFinder>();

/** The keys a device may have under a layout: `index`, `address` and the pci_dev_ser fields. */
export function deviceKeys(layout: PciAbi): string[] {
  return ['index', 'address', ...layout.entry.fields.map((f) => f.name)];
}

/** The source of the finder: for-in over the keys (inherited enumerable ones too), each compared with the known names (no key array, no set lookup). */
export function unknownKeySource(layout: PciAbi): string {
  const known = deviceKeys(layout);
  if (!known.every((k) => IDENT.test(k))) throw new Error(`abi ${layout.id}: pci_dev_ser field names must be identifiers`);
  return `(dev) => {
  for (const key in dev) if (${known.map((k) => `key !== '${k}'`).join(' && ')}) return key;
  return undefined;
}`;
}

/** The unknown-key finder of a layout, compiled from its fields and cached. */
export function unknownKeyFinder(layout: PciAbi): UnknownKeyFinder {
  let find = cache.get(layout);
  if (!find) {
    find = new Function(`return ${unknownKeySource(layout)};`)() as UnknownKeyFinder;
    cache.set(layout, find);
  }
  return find;
}

/** Throw when a device object has a key the layout does not have: a misspelled `reserved` or `index` would otherwise read as absent. */
export function refuseUnknownKeys(layout: PciAbi, dev: object, at: string): void {
  const key = unknownKeyFinder(layout)(dev);
  if (key !== undefined) throw new UsageError(`struct pci_dev_ser of ${layout.id} has no field "${key}"`, at);
}
