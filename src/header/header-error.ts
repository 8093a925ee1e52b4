import { UsageError } from '../errors.js';

/** A place in a header: file, 1-based line and column. */
export interface SourcePos {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** `file:line:column`. */
export function formatPos(pos: SourcePos): string {
  return `${pos.file}:${pos.line}:${pos.column}`;
}

/** A header the parser cannot understand; says exactly where (an input error: exit 2). */
export class HeaderError extends UsageError {
  constructor(
    readonly pos: SourcePos,
    readonly reason: string,
  ) {
    super(reason, formatPos(pos));
  }
}
