import type { AbiDiffRuleId, RuleMeta } from '../findings.js';

/** The families of ABI diff rules. */
export type AbiDiffCategory = 'LAYOUT' | 'SEMANTIC' | 'COMPAT' | 'HEADERS';

const layout = (id: AbiDiffRuleId, description: string): RuleMeta => ({ id, severity: 'warning', category: 'LAYOUT', description });

/** Every abi-diff rule with its category, default severity and purpose. */
export const ABI_DIFF_RULES: readonly RuleMeta[] = [
  layout('STRUCT_SIZE_CHANGED', 'The size of a struct changed.'),
  layout('FIELD_ADDED', 'A member was added to a struct.'),
  layout('FIELD_REMOVED', 'A member (or a whole struct) was removed.'),
  layout('FIELD_OFFSET_CHANGED', 'A member moved to another offset.'),
  layout('FIELD_SIZE_CHANGED', 'A member changed size (u32 -> u64 is this, not a type change).'),
  layout('FIELD_TYPE_CHANGED', 'A member changed kind or signedness: integer / char array / struct / array, signed / unsigned, endianness.'),
  layout('FIELD_RENAMED', 'A member gone by name whose offset and size are taken by a new name.'),
  layout('ELEMENT_SIZE_CHANGED', 'The element size of a fixed or flexible array member changed.'),
  layout('ARRAY_BECAME_POINTER', 'An array member was replaced by a u64 physical address.'),
  layout('PACKING_CHANGED', 'A packed/aligned attribute changed and that changed some offset, size or alignment.'),
  { id: 'VERSION_FIELD_MOVED', severity: 'error', category: 'LAYOUT', description: 'A version field changed offset or size; the kernel says it must never move.' },
  { id: 'FIELD_DOC_CHANGED', severity: 'warning', category: 'SEMANTIC', description: 'The kernel-doc @member: text changed beyond whitespace and punctuation.' },
  { id: 'COMPAT_NOT_BUMPED', severity: 'error', category: 'COMPAT', description: 'A struct of the header changed layout or meaning while every *_COMPATIBLE string and *_VERSION macro stayed the same.' },
  { id: 'COMPAT_BUMPED_WITHOUT_CHANGE', severity: 'warning', category: 'COMPAT', description: 'The compat string or version changed though no struct did.' },
  { id: 'HEADER_UNSUPPORTED', severity: 'error', category: 'HEADERS', description: 'A header uses a construct kho-abi cannot lay out faithfully (file:line:column says which); the other headers are still diffed.' },
  { id: 'HEADER_LAYOUT_DIFFERS', severity: 'error', category: 'HEADERS', description: 'The built-in header reader and the compiler (--cc) lay a struct out differently.' },
  { id: 'POINTER_MEMBER', severity: 'warning', category: 'HEADERS', description: 'A pointer, long or other word-size-dependent member in a serialized struct: its size depends on the kernel that wrote it.' },
];

/** The category of a rule id. */
export function categoryOf(rule: string): AbiDiffCategory {
  const meta = ABI_DIFF_RULES.find((r) => r.id === rule);
  if (!meta) throw new Error(`unknown abi-diff rule ${rule}`);
  return meta.category as AbiDiffCategory;
}

/** Whether a string is an abi-diff rule id. */
export function isAbiDiffRule(rule: string): rule is AbiDiffRuleId {
  return ABI_DIFF_RULES.some((r) => r.id === rule);
}
