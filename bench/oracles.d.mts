import type { Parser } from 'binary-parser';
import type { PciAbi } from '../src/registry.js';

/** Root fields by C name; u64 fields as bigint. */
export type OracleRoot = Record<string, number | bigint>;
/** One pci_dev_ser slot by C field name. */
export type OracleSlot = Record<string, number>;
/** An in-use slot with its storage index. */
export type OracleDevice = OracleSlot & { index: number };

/** A restructure type: the subset of restructure's API the oracles use. */
export interface RestructureStruct {
  fromBuffer(buffer: Uint8Array): Record<string, unknown>;
  toBuffer(value: Record<string, unknown>): Uint8Array;
}

/** Number of entry slots the root accounts for: the rule that decode applies. */
export function slotCount(abi: PciAbi, root: Record<string, unknown>): number;
/** The in-use entries among every decoded slot, in storage order, each with its `index`. */
export function inUse(abi: PciAbi, root: Record<string, unknown>, slots: readonly OracleSlot[]): OracleDevice[];
/** A binary-parser Parser for struct pci_ser of a flat id; `parse(bytes)` gives the root fields and every slot. */
export function binaryParserFor(abi: PciAbi): Parser;
/** A restructure Struct for struct pci_ser of a flat id: `fromBuffer` decodes every slot, `toBuffer` encodes. */
export function restructureFor(abi: PciAbi): RestructureStruct;
/** The restructure value for our encode input `{ root, devices }`: every slot, zero unless a device is placed. */
export function restructureValue(
  abi: PciAbi,
  input: { root: Readonly<Record<string, unknown>>; devices?: Iterable<object> | null },
): Record<string, unknown>;
