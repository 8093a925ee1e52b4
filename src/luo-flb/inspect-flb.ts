import { decode, type DecodedBlob } from '../codec/decode.js';
import { BlobError } from '../errors.js';
import type { PhysicalMemory } from '../memory/memory-image.js';
import { readPciBlob } from '../codec/read-pci-blob.js';
import { abis, type AbiId } from '../registry.js';
import type { Finding } from '../findings.js';
import { validate } from '../validate/validate.js';
import { readFlbTable, type FlbEntry, type FlbTable } from './flb-table.js';
import { DEFAULT_PAGE_SIZE } from '../block-chain/page-size.js';

/** How one id reads the PCI blob an FLB entry points at. */
export interface PciReading {
  readonly abi: AbiId;
  /** Whether the bytes are consistent with the id: no error-level validation rule fires. */
  readonly consistent: boolean;
  /** Why not (each finding, `RULE: message`), or what was checked. */
  readonly reasons: readonly string[];
  /** The findings of every rule of the id on the blob. */
  readonly findings: readonly Finding[];
  /** The blob decoded under the id, when it decodes. */
  readonly decoded: DecodedBlob | null;
}

/** An FLB entry whose name is a PCI compat string, read under every id that string has been used for. */
export interface PciFlb {
  readonly entry: FlbEntry;
  readonly readings: readonly PciReading[];
}

/** The FLB table and every PCI blob it leads to. */
export interface FlbInspection {
  readonly table: FlbTable;
  readonly pci: readonly PciFlb[];
}

/**
 * Read the LUO FLB table at `address` and decode every entry whose name is a PCI
 * compat string under each id that string names.
 */
export function inspectFlbTable(memory: PhysicalMemory, address: bigint, opts: { pageSize?: number } = {}): FlbInspection {
  const pageSize = opts.pageSize ?? DEFAULT_PAGE_SIZE;
  const table = readFlbTable(memory, address, pageSize);
  const pci = table.entries
    .filter((e) => e.terminated && abis.some((a) => a.compatible === e.name))
    .map((entry) => ({
      entry,
      readings: abis.filter((a) => a.compatible === entry.name).map((a) => readAs(memory, entry, a.id, pageSize)),
    }));
  return { table, pci };
}

function readAs(memory: PhysicalMemory, entry: FlbEntry, abi: AbiId, pageSize: number): PciReading {
  const no = (reason: string): PciReading => ({ abi, consistent: false, reasons: [reason], findings: [], decoded: null });
  if (entry.data === 0n) return no('data is 0: no pci_ser');
  const layout = abis.find((a) => a.id === abi)!;
  const bytes = readPciBlob(memory, entry.data, layout);
  if (!bytes) return no(`struct pci_ser (${layout.root.size} bytes) at 0x${entry.data.toString(16)} is not in the memory images`);
  const { valid, findings } = validate(bytes, abi, { memory, pageSize, maxPerRule: 3 });
  const reasons = findings.map((f) => `${f.severity === 'error' ? '' : 'warning '}${f.rule}: ${f.message}`);
  let decoded: DecodedBlob | null = null;
  try {
    decoded = decode(bytes, abi, { memory, pageSize, rootAddress: entry.data });
  } catch (e) {
    if (!(e instanceof BlobError)) throw e;
  }
  if (valid && decoded) reasons.unshift(`every rule of ${abi} holds${decoded.chain ? ` (${decoded.chain.blocks.length} KHO blocks, ${decoded.devices!.length} devices in use)` : ''}`);
  return { abi, consistent: valid, reasons, findings, decoded };
}
