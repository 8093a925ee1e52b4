import { containers } from '../registry.js';
import type { Btf } from './btf.js';
import { aggregateNames } from './btf-structs.js';

/**
 * The KHO ABI structs of a BTF: every struct or union named `*_ser`, and the container structs
 * the registry knows; of a split BTF (a module), only its own.
 */
export function khoStructNames(btf: Btf): string[] {
  const known = new Set(containers.flatMap((c) => c.structs.map((s) => s.name)));
  return aggregateNames(btf, false).filter((n) => n.endsWith('_ser') || known.has(n));
}
