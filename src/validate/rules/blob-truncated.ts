import { NONE, type Issue, type Rule } from '../rule.js';
import type { CheckContext } from '../context.js';

/** BLOB_TRUNCATED: the blob ends before struct pci_ser or before the entries its root claims. */
export const blobTruncated: Rule = {
  id: 'BLOB_TRUNCATED',
  severity: 'error',
  doc: 'The blob holds struct pci_ser and every entry slot its root accounts for.',
  appliesTo: () => true,
  check: (ctx) => (ctx.truncated ? truncation(ctx) : NONE),
};

function truncation(ctx: CheckContext): Issue[] {
  const e = ctx.decodeError;
  if (e) return [{ offset: e.offset, message: e.message }];
  return [{ offset: ctx.bytes.length, message: `blob is ${ctx.bytes.length} bytes; the root accounts for ${ctx.entriesEnd}` }];
}
