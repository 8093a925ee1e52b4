import { truncation } from '../../codec/decode.js';
import { NONE, type Issue, type Rule, type RuleContext } from '../rule.js';

/** BLOB_TRUNCATED: the blob ends before struct pci_ser or before the entries its root claims. */
export const blobTruncated: Rule = {
  id: 'BLOB_TRUNCATED',
  severity: 'error',
  doc: 'The blob holds struct pci_ser and every entry slot its root accounts for.',
  appliesTo: () => true,
  check: (ctx) => (ctx.truncated ? truncated(ctx) : NONE),
};

function truncated(ctx: RuleContext): Issue[] {
  const cut = truncation(ctx.bytes, ctx.abi);
  if (cut) return [cut];
  return [{ offset: ctx.bytes.length, message: `blob is ${ctx.bytes.length} bytes; the root accounts for ${ctx.entriesEnd}` }];
}
