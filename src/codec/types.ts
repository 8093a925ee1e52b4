import type { AbiDefOf, AbiId } from '../registry.js';
import type { DeviceBase, DeviceList } from './device-list.js';

type StructFields<I extends AbiId, S extends string> = Extract<
  AbiDefOf<I>['structs'][number],
  { name: S }
>['fields'][number];

type Wide = 'u64' | 's64' | '__le64' | '__be64';

/** The scalar fields of struct pci_ser of an id, by their C names (u64 as bigint). */
export type RootOf<I extends AbiId> = {
  readonly [F in Exclude<StructFields<I, 'pci_ser'>, { flexible: true }> as F['name']]: F['type'] extends Wide
    ? bigint
    : number;
};

/** An in-use pci_dev_ser of an id: its fields by C name (refcount only where the id has one), plus index and address. */
export type DeviceOf<I extends AbiId> = Omit<DeviceBase, 'refcount'> & {
  readonly [F in StructFields<I, 'pci_dev_ser'> as F['name']]: number;
};

/** Bytes of a blob that no decoded field accounts for (stale slots, padding, trailing). */
export interface ByteRun {
  readonly offset: number;
  readonly bytes: Uint8Array;
}

/** The devices of a decoded blob: always there for inline layouts; null for block layouts until read from memory. */
export type DevicesOf<I extends AbiId> = AbiDefOf<I>['storage'] extends 'inline'
  ? DeviceList<DeviceOf<I>>
  : DeviceList<DeviceOf<I>> | null;
