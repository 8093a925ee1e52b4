import type { PciAbi } from '../registry.js';
import type { Rule } from './rule.js';
import { rules } from './rules/index.js';

const applicable = new Map<string, readonly Rule[]>();

/** The rules that concern blobs of a layout, by id. */
export function rulesFor(abi: PciAbi): readonly Rule[] {
  let list = applicable.get(abi.id);
  if (!list) applicable.set(abi.id, (list = rules.filter((r) => r.appliesTo(abi))));
  return list;
}
