import { offsetText } from '../../findings.js';
import { NONE, type Rule } from '../rule.js';

/** TRAILING_NONZERO: the bytes after the last slot the root accounts for are zero (the allocation is zero-filled). */
export const trailingNonzero: Rule = {
  id: 'TRAILING_NONZERO',
  severity: 'warning',
  doc: 'Bytes after the last slot the root accounts for are zero (KHO allocations are zero-filled).',
  appliesTo: () => true,
  check(ctx) {
    if (ctx.truncated) return NONE;
    const { bytes } = ctx;
    const end = ctx.entriesEnd;
    let first = end;
    while (first < bytes.length && bytes[first] === 0) first++;
    if (first === bytes.length) return NONE;
    let last = bytes.length - 1;
    while (bytes[last] === 0) last--;
    return [{ offset: first, length: last + 1 - first, message: `non-zero bytes at ${offsetText(first)}..${offsetText(last)}, after the ${end} bytes the root accounts for` }];
  },
};
