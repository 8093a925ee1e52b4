import type { StructLayout } from '../layout/engine.js';
import { normalizeLayout } from '../layout/fingerprint.js';
import { abis, type AbiId } from '../registry.js';

/** The bytes a layout reads, without alignment (BTF records none, and it moves no byte here). */
function bytesOf(s: StructLayout): string {
  return JSON.stringify(normalizeLayout(s), (k, v: unknown) => (k === 'align' ? undefined : v));
}

/** What BTF can say about the registry: the ids whose pci_ser and pci_dev_ser bytes match. */
export interface BtfRegistryMatch {
  readonly ids: readonly AbiId[];
  /** Why several ids can match: BTF has the bytes, not the compat string or version macros. */
  readonly note: string;
}

/**
 * Registry ids whose `pci_ser` and `pci_dev_ser` have the bytes of these layouts; undefined
 * when the BTF has neither struct. BTF holds no macros, so every id with the same bytes is
 * listed, whatever its compat string or version.
 */
export function btfRegistryMatches(structs: ReadonlyMap<string, StructLayout>): BtfRegistryMatch | undefined {
  if (!structs.has('pci_ser') && !structs.has('pci_dev_ser')) return undefined;
  const missing = ['pci_ser', 'pci_dev_ser'].filter((n) => !structs.has(n));
  if (missing.length) return { ids: [], note: `struct ${missing[0]} is not in this BTF` };
  const ids = abis
    .filter((abi) => abi.structs.every((s) => {
      const btf = structs.get(s.name);
      return btf !== undefined && bytesOf(btf) === bytesOf(s);
    }))
    .map((a) => a.id);
  const note = ids.length === 0
    ? 'no registry id has these bytes'
    : 'BTF holds no macros: every id with these bytes is listed, whatever its compat string or version; the PCI_LUO_FLB_COMPATIBLE string the kernel writes tells them apart';
  return { ids, note };
}
