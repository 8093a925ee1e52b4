import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { formatAddress, isAddressOf, parseAddress } from '../src/pci-address.js';

const domainArb = fc.oneof(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 0xffffffff }));
const bdfArb = fc.integer({ min: 0, max: 0xffff });
/** An address text near formatAddress(domain, bdf): itself, one character changed, upper case, cut or lengthened. */
const nearArb = fc.tuple(domainArb, bdfArb, fc.nat(20), fc.constantFrom('same', 'char', 'upper', 'cut', 'longer', 'short-form')).map(([d, b, at, how]) => {
  const text = formatAddress(d, b);
  const i = at % text.length;
  if (how === 'char') return text.slice(0, i) + '0123456789abcdefABCDEF:.g'[at % 25] + text.slice(i + 1);
  if (how === 'upper') return text.toUpperCase();
  if (how === 'cut') return text.slice(0, i);
  if (how === 'longer') return `0${text}`;
  if (how === 'short-form') return text.slice(5);
  return text;
});

describe('isAddressOf', () => {
  test.prop([domainArb, bdfArb, fc.oneof(nearArb, fc.string({ maxLength: 14 }))])('is exactly text === formatAddress(domain, bdf)', (domain, bdf, text) => {
    expect(isAddressOf(text, domain, bdf)).toBe(text === formatAddress(domain, bdf));
  });

  test.prop([domainArb, bdfArb])('accepts the address it formats, and parseAddress reads it back', (domain, bdf) => {
    expect(isAddressOf(formatAddress(domain, bdf), domain, bdf)).toBe(true);
    expect(parseAddress(formatAddress(domain, bdf))).toEqual({ domain, bdf });
  });

  it('refuses what lspci -D would not print for that device', () => {
    expect(isAddressOf('0000:3b:00.0', 0, 0x3b00)).toBe(true);
    expect(isAddressOf('0000:3B:00.0', 0, 0x3b00)).toBe(false);
    expect(isAddressOf('3b:00.0', 0, 0x3b00)).toBe(false);
    expect(isAddressOf('0000:3b:00.1', 0, 0x3b00)).toBe(false);
    expect(isAddressOf('10000:00:01.0', 0x10000, 8)).toBe(true);
  });
});
