import type { StructLayout } from '../layout/engine.js';
import { btfStructs, findAggregate } from './btf-structs.js';
import type { Btf } from './btf.js';
import { khoStructNames } from './kho-structs.js';
import { btfRegistryMatches, type BtfRegistryMatch } from './registry-match.js';

/** What `kho-abi btf` reports: the structs asked for (or the KHO ABI ones) and the registry match. */
export interface BtfReport {
  readonly file: string;
  /** Types in the BTF (with its base, for split BTF). */
  readonly types: number;
  readonly structs: readonly StructLayout[];
  /** Present when the BTF has pci_ser or pci_dev_ser. */
  readonly registry?: BtfRegistryMatch;
}

/** The structs named (default: every `*_ser` and registry container struct) and the registry ids pci_ser/pci_dev_ser match. */
export function btfReport(btf: Btf, names?: readonly string[]): BtfReport {
  const wanted = names && names.length ? names : khoStructNames(btf);
  const structs = [...btfStructs(btf, wanted).values()];
  const shown = structs.some((s) => s.name === 'pci_ser' || s.name === 'pci_dev_ser');
  const pci = shown ? ['pci_ser', 'pci_dev_ser'].filter((n) => findAggregate(btf, n) !== undefined) : [];
  const registry = shown ? btfRegistryMatches(btfStructs(btf, pci)) : undefined;
  return { file: btf.file, types: btf.endId - 1, structs, ...(registry ? { registry } : {}) };
}
