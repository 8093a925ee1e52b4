import type { ValidationRuleId } from './rule-ids.js';

/** The abi-diff rules: layout, semantic and compat changes between two versions of a header, and headers it cannot read. */
export type AbiDiffRuleId =
  | 'STRUCT_SIZE_CHANGED'
  | 'FIELD_ADDED'
  | 'FIELD_REMOVED'
  | 'FIELD_OFFSET_CHANGED'
  | 'FIELD_SIZE_CHANGED'
  | 'FIELD_TYPE_CHANGED'
  | 'FIELD_RENAMED'
  | 'ELEMENT_SIZE_CHANGED'
  | 'ARRAY_BECAME_POINTER'
  | 'PACKING_CHANGED'
  | 'VERSION_FIELD_MOVED'
  | 'FIELD_DOC_CHANGED'
  | 'COMPAT_NOT_BUMPED'
  | 'COMPAT_BUMPED_WITHOUT_CHANGE'
  | 'HEADER_UNSUPPORTED'
  | 'HEADER_LAYOUT_DIFFERS'
  | 'POINTER_MEMBER';

/** Why `convert` refuses: what the target layout cannot represent. */
export type ConvertRuleId =
  | 'CONVERT_TARGET_SKELETON'
  | 'CONVERT_DOMAIN_TOO_WIDE'
  | 'CONVERT_REFCOUNT_HIERARCHICAL'
  | 'CONVERT_DUPLICATE_DEVICE'
  | 'CONVERT_TOO_MANY_DEVICES';

/** Problems on the way from a memory image to the PCI blob: the LUO FLB table, the KHO FDT, the LUO containers. */
export type DiscoveryRuleId = 'FLB_TABLE_INVALID' | 'CHAIN_NOT_CHECKED' | 'KHO_FDT_INVALID' | 'LUO_INVALID';

/** Stable id of every finding the tool emits: the validation rules (one file each in src/validate/rules), discovery, convert and abi-diff. */
export type RuleId = ValidationRuleId | DiscoveryRuleId | ConvertRuleId | AbiDiffRuleId;

/** How much a finding matters: an error fails the command, a warning only with --strict, info never. */
export type Severity = 'error' | 'warning' | 'info';

/** One finding, whatever produced it (validate, the block walker, the FLB reader, convert, abi-diff); formatters only read it. */
export interface Finding {
  readonly rule: RuleId;
  readonly severity: Severity;
  readonly message: string;
  /** The file the finding is about (a blob, an image, a header). */
  readonly file?: string;
  /** Byte offset in the blob or table (for a block chain's blocks: their physical address, while below 2^53). */
  readonly offset?: number;
  /** Bytes the finding covers, from offset. */
  readonly length?: number;
  /** Physical address the finding is about (memory images). */
  readonly address?: bigint;
  /** Storage index of the entry (slot, FLB entry) the finding is about. */
  readonly index?: number;
  /** 1-based line and column (headers). */
  readonly line?: number;
  readonly column?: number;
  /** abi-diff: the header, struct and field the finding is about. */
  readonly header?: string;
  readonly struct?: string;
  readonly field?: string;
  /** Turned into info by --allow or a suppression file; still reported. */
  readonly suppressed?: boolean;
  /** A closing finding that stands for this many more of its rule, not shown (--max-per-rule). */
  readonly folded?: number;
}

/** A rule as the reports describe it (SARIF tool.driver.rules); abi-diff rules carry their category. */
export interface RuleMeta {
  readonly id: RuleId;
  readonly severity: Severity;
  readonly description: string;
  readonly category?: string;
}

/** A byte offset or physical address as findings print it: hex, as in `kho-abi hexdump` and xxd. */
export function offsetText(offset: number | bigint): string {
  return `0x${offset.toString(16)}`;
}
