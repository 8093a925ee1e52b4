import type { RuleId } from '../errors.js';
import type { AbiId } from '../registry.js';

/** Where a block layout's root and chain live: an ELF core image. */
export interface CaseImage {
  readonly rootAddress: bigint;
  readonly pageSize: number;
}

/** One generated input: a blob (or, with `image`, an ELF core holding root and chain), how it was made and what it must give. */
export interface FuzzCase {
  readonly abi: AbiId;
  /** `valid`, a targeted mutator's name, `bit-flip` or `splice`. */
  readonly made: string;
  /** Rules the validator must report (targeted mutations). */
  readonly expect: readonly RuleId[];
  /** A blob the kernel could write: no error finding, and decode → JSON → encode gives the same bytes. */
  readonly valid: boolean;
  readonly bytes: Uint8Array;
  readonly image?: CaseImage;
}
