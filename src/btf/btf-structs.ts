import type { StructLayout } from '../layout/engine.js';
import { BtfError } from './btf-error.js';
import { BTF_KIND } from './btf-kinds.js';
import { BtfLayouts } from './btf-layout.js';
import type { Btf } from './btf.js';
import { closestNames } from './closest-names.js';

/** The struct (else union) type id of a name (`pci_ser`, `struct pci_ser`, `union x`), or undefined. */
export function findAggregate(btf: Btf, name: string): number | undefined {
  const m = /^(struct|union)\s+(.+)$/.exec(name.trim());
  const bare = m ? m[2]! : name.trim();
  const kinds = m ? [m[1] === 'union' ? BTF_KIND.UNION : BTF_KIND.STRUCT] : [BTF_KIND.STRUCT, BTF_KIND.UNION];
  const ids = btf.byName(bare, kinds);
  return ids.find((id) => btf.kind(id) === BTF_KIND.STRUCT) ?? ids[0];
}

/** The names of every named struct and union, in type-id order (the first of duplicates); `withBase` false leaves a split BTF's base out. */
export function aggregateNames(btf: Btf, withBase = true): string[] {
  const names = new Set<string>();
  for (const id of btf.aggregates(withBase)) {
    const name = btf.name(id);
    if (name) names.add(name);
  }
  return [...names];
}

/**
 * Named structs and unions of a BTF as layouts of the library's model (offsets from the
 * compiler, typedefs and qualifiers resolved, bit-fields with `bitOffset`/`bitSize`): the
 * ones in `names` (a missing one is a BtfError listing the closest names), or every one.
 */
export function btfStructs(btf: Btf, names?: readonly string[]): Map<string, StructLayout> {
  const layouts = new BtfLayouts(btf);
  const out = new Map<string, StructLayout>();
  if (names) {
    for (const name of names) {
      const id = findAggregate(btf, name);
      if (id === undefined) {
        const near = closestNames(name.replace(/^(struct|union)\s+/, ''), aggregateNames(btf));
        throw new BtfError(`${btf.file}: no struct or union named ${name}${near.length ? `; closest: ${near.join(', ')}` : ''}`);
      }
      out.set(btf.name(id), layouts.struct(id));
    }
    return out;
  }
  for (const id of btf.aggregates()) {
    const name = btf.name(id);
    if (name && !out.has(name)) out.set(name, layouts.struct(id));
  }
  return out;
}
