import { formatFindingsText } from '../format/findings.js';
import type { ValidationResult } from '../validate/validate.js';
import type { CliContext } from './context.js';

/** Print a blob's findings on standard error (`file:0xOFFSET: error[RULE]: …`) and exit 1 when it is invalid. */
export function reportBlobFindings(ctx: CliContext, name: string, r: ValidationResult): void {
  if (r.findings.length) ctx.err(formatFindingsText(r.findings.map((f) => ({ ...f, file: name }))));
  if (!r.valid) ctx.exit(1);
}
