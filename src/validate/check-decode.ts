import { decode, type DecodedBlob } from '../codec/decode.js';
import { BlobError } from '../errors.js';
import { getAbi } from '../registry.js';
import { CheckContext } from './context.js';
import { runRules, verdict, type ValidationOptions, type ValidationResult } from './validate.js';

/** A blob's verdict, and what could be decoded of it (nothing when truncated; the root alone when its chain is broken). */
export interface CheckedBlob extends ValidationResult {
  readonly decoded: DecodedBlob | undefined;
}

/**
 * Validate a blob and decode what its findings allow, walking a block chain once for both:
 * what `decode`, `hexdump`, `diff` and `convert` report before printing what they read.
 */
export function checkAndDecode(bytes: Uint8Array, abi: string, options: ValidationOptions & { rootAddress?: bigint } = {}): CheckedBlob {
  const layout = getAbi(abi);
  const ctx = new CheckContext(layout, bytes, options);
  const result = verdict(runRules(ctx), options);
  if (ctx.truncated) return { ...result, decoded: undefined };
  const at = options.rootAddress === undefined ? {} : { rootAddress: options.rootAddress };
  const chain = ctx.chainAccepted ? { chain: ctx.chain!, pageSize: ctx.chain!.pageSize } : {};
  try {
    return { ...result, decoded: decode(bytes, layout.id, { ...at, ...chain }) };
  } catch (e) {
    if (e instanceof BlobError) return { ...result, decoded: undefined };
    throw e;
  }
}
