import type { FieldLayout, StructLayout } from '../layout/engine.js';
import { isWordSized } from '../header/target.js';

/** A word-size-dependent member: where it is (`a.b` through nested members) and its type. */
export interface WordMember {
  readonly struct: string;
  readonly path: string;
  readonly field: FieldLayout;
}

/**
 * Members whose size depends on the kernel's word size: pointers, `long`, `size_t`,
 * `phys_addr_t`… A union member that a fixed-size sibling already makes as large (the
 * kernel's `union { u64 phys; T *ptr; }` serialized pointers) does not count.
 */
export function wordSizedMembers(s: StructLayout): WordMember[] {
  const out: WordMember[] = [];
  const walk = (r: StructLayout, prefix: string) => {
    const fixed = r.union ? Math.max(0, ...r.fields.filter((f) => !isWordSized(f) && !f.struct).map((f) => f.size)) : 0;
    for (const f of r.fields) {
      const path = f.name ? `${prefix}${f.name}` : prefix.replace(/\.$/, '');
      if (isWordSized(f)) {
        if (!(r.union && fixed >= Math.max(8, f.size))) out.push({ struct: s.name, path, field: f });
      } else if (f.struct && !f.struct.name) walk(f.struct, f.name ? `${path}.` : prefix);
    }
  };
  walk(s, '');
  return out;
}
