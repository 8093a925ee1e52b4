import { UsageError } from '../errors.js';

/** BTF that cannot be read: truncated, out of range, cyclic or absurd (an input error: exit 2). */
export class BtfError extends UsageError {
  constructor(
    message: string,
    /** Byte offset in the BTF data (or in the ELF file) where the problem is, when known. */
    readonly offset?: number,
  ) {
    super(message);
  }
}
