import type { RuleId } from './findings.js';

export type { RuleId } from './findings.js';

/** The blob (or memory image) is not what it claims: carries the rule id and byte offset. */
export class BlobError extends Error {
  override readonly name = 'BlobError';
  constructor(
    readonly rule: RuleId,
    readonly offset: number,
    message: string,
    /** The file the blob came from, when known. */
    readonly file?: string,
  ) {
    super(message);
  }

  /** The same error, said of a file. */
  inFile(file: string): BlobError {
    // Through this.constructor, not the class name: a class that names itself is bundled as `_BlobError`.
    const Same = this.constructor as new (...args: ConstructorParameters<typeof BlobError>) => BlobError;
    return new Same(this.rule, this.offset, this.message, file);
  }
}

/** The user asked for something impossible: unknown id, bad flag, unreadable file, bad JSON. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(
    message: string,
    /** Where in the input the problem is, e.g. `devices[3].domain`. */
    readonly path?: string,
  ) {
    super(path ? `${path}: ${message}` : message);
  }
}
