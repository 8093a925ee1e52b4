import { UsageError } from '../errors.js';
import type { FieldLayout } from '../layout/engine.js';

/** The smallest and largest value an integer field holds. */
export function intRange(f: FieldLayout): readonly [bigint, bigint] {
  const bits = BigInt(f.elementSize * 8);
  return f.signed ? [-(1n << (bits - 1n)), (1n << (bits - 1n)) - 1n] : [0n, (1n << bits) - 1n];
}

/**
 * Parse a JSON or library value for an integer field (number, bigint, decimal or
 * 0x-hex string) and refuse anything that does not fit: never wraps.
 */
export function toFieldInt(value: unknown, f: FieldLayout, path: string): bigint {
  let v: bigint;
  if (typeof value === 'bigint') v = value;
  else if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new UsageError(`${value} is not a whole number that JSON can carry exactly; write it as a string`, path);
    v = BigInt(value);
  } else if (typeof value === 'string' && /^-?(0x[0-9a-f]+|\d+)$/i.test(value.trim())) {
    const t = value.trim();
    v = t.startsWith('-') ? -BigInt(t.slice(1)) : BigInt(t);
  } else {
    throw new UsageError(`expected an integer, got ${JSON.stringify(value)}`, path);
  }
  const [min, max] = intRange(f);
  if (v < min || v > max) {
    throw new UsageError(`${fmt(v, f)} does not fit ${f.type} ${f.name} (${fmt(min, f)}..${fmt(max, f)})`, path);
  }
  return v;
}

function fmt(v: bigint, f: FieldLayout): string {
  return f.address || v > 0xffffn ? `0x${v.toString(16)}` : v.toString();
}
