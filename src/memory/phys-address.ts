import { UsageError } from '../errors.js';

/**
 * A physical address as the user typed it: `0x` hex, or `0`. A bare number other than 0 is
 * refused with a hint: /proc/iomem and dmesg print hex without `0x`, so `100000` is ambiguous.
 */
export function parsePhysAddress(text: string, what: string): bigint {
  const value = text.trim();
  if (/^0x[0-9a-f]+$/i.test(value)) {
    const v = BigInt(value);
    if (v >= 1n << 64n) throw new UsageError(`${what} ${value} does not fit in 64 bits`);
    return v;
  }
  if (value === '0') return 0n;
  if (/^[0-9a-f]+$/i.test(value)) {
    const decimal = /^\d+$/.test(value) ? ` (or 0x${BigInt(value).toString(16)} if you meant decimal ${value})` : '';
    throw new UsageError(`${what} takes a hex address with 0x: "${value}" is ambiguous, /proc/iomem and dmesg print hex without 0x; write 0x${value.toLowerCase()}${decimal}`);
  }
  throw new UsageError(`${what} takes a physical address like 0x100000, got "${text}"`);
}
