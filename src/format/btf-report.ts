import type { BtfReport } from '../btf/btf-report.js';
import { structJson } from '../layout/struct-json.js';
import { formatStruct } from './pahole.js';

/** `kho-abi btf` in text: a title line, each struct as pahole prints it, then the registry match. */
export function formatBtfText(r: BtfReport): string {
  const title = `/* ${r.file}: ${r.types} types; ${r.structs.length} struct${r.structs.length === 1 ? '' : 's'} shown */`;
  const out = [title, ...r.structs.map(formatStruct)];
  if (r.structs.length === 0) out.push('/* no KHO ABI struct (*_ser) in this BTF; name one with --struct */');
  if (r.registry) {
    const ids = r.registry.ids.length ? `pci_ser and pci_dev_ser match ${r.registry.ids.join(', ')}` : 'no registry id matches';
    out.push(`/* registry: ${ids}; ${r.registry.note} */`);
  }
  return out.join('\n\n');
}

/** `kho-abi btf --json`: structs in the `header --json` shape, and the registry match. */
export function btfJson(r: BtfReport) {
  return {
    file: r.file,
    types: r.types,
    structs: r.structs.map(structJson),
    ...(r.registry ? { matches: r.registry.ids, matchNote: r.registry.note } : {}),
  };
}
