import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { intRange } from '../../src/codec/scalar.js';
import { BlobError, UsageError, abis, decode, encode, formatAddress, toJson, type PciAbi } from '../../src/index.js';
import type { FieldLayout } from '../../src/layout/engine.js';
import { anyBytesArb, deviceSetArb, flatAbis, minSize, plausibleBytesArb, validBlobArb } from '../../src/fuzz/arbitraries.js';
import { numRuns } from './runs.js';
import { slotCount } from '../../bench/oracles.mjs';

/** decode --json | encode, through JSON text as the CLI does it. */
function roundTrip(bytes: Uint8Array, abi: string): Uint8Array {
  return encode(JSON.parse(JSON.stringify(toJson(decode(bytes, abi)))), abi);
}

describe.each(flatAbis.map((a) => [a.id, a] as const))('%s: kernel-like blobs', (_, abi) => {
  test.prop([validBlobArb(abi)], { numRuns })('decode(encode(x)) gives x back, and encode(toJson(decode(b))) == b', (g) => {
    const b = encode(g, abi.id);
    expect(b.length).toBe(g.size ?? minSize(abi, slotCount(abi, g.root)));
    const d = decode(b, abi.id);
    expect(d.root).toEqual(g.root);
    const devices = d.devices!.toArray();
    expect(devices.map(({ address: _a, ...rest }) => rest)).toEqual(g.devices);
    for (const dev of devices) expect(dev.address).toBe(formatAddress(dev.domain, dev.bdf));
    for (const f of abi.entry.fields) expect([...d.devices!.column(f.name)]).toEqual(g.devices.map((x) => x[f.name]));
    expect(roundTrip(b, abi.id)).toEqual(b);
  });
});

describe.each(abis.map((a) => [a.id, a] as const))('%s: arbitrary bytes', (_, abi) => {
  it('decode accepts and encode(toJson(decode(b))) == b exactly, or it rejects with BLOB_TRUNCATED', () => {
    let accepted = 0;
    fc.assert(
      fc.property(fc.oneof(anyBytesArb, plausibleBytesArb(abi)), (b) => {
        let d;
        try {
          d = decode(b, abi.id);
        } catch (e) {
          expect(e).toBeInstanceOf(BlobError);
          expect(e).toMatchObject({ rule: 'BLOB_TRUNCATED', offset: expect.any(Number) });
          return;
        }
        accepted++;
        expect(d.size).toBe(b.length);
        expect(roundTrip(b, abi.id)).toEqual(b);
        // The decoded blob itself (its bytes copied), and its parts handed over field by field.
        expect(encode(d, abi.id)).toEqual(b);
        expect(encode({ root: d.root, devices: d.devices, size: d.size, extra: d.extra }, abi.id)).toEqual(b);
      }),
      { numRuns },
    );
    expect(accepted).toBeGreaterThan(0);
  });
});

/** Values just outside a field's range, as number, bigint, decimal and hex strings. */
function outOfRange(f: FieldLayout): fc.Arbitrary<unknown> {
  const [min, max] = intRange(f);
  const big = fc.oneof(
    fc.bigInt({ min: max + 1n, max: max + (1n << 70n) }),
    fc.constantFrom(max + 1n, 1n << 32n, (1n << 32n) + 1n, 1n << 64n),
    fc.bigInt({ min: min - (1n << 70n), max: min - 1n }),
    fc.constantFrom(min - 1n, -1n),
  ).filter((v) => v < min || v > max);
  return fc.tuple(big, fc.constantFrom('number', 'bigint', 'string', 'hex')).map(([v, form]) => {
    if (form === 'number' && v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(v);
    if (form === 'hex' && v >= 0n) return `0x${v.toString(16)}`;
    return form === 'bigint' ? v : v.toString();
  });
}

function expectUsageError(run: () => unknown, path: string): void {
  let err: unknown;
  try {
    run();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(UsageError);
  expect((err as UsageError).path).toBe(path);
}

const withDevices = (abi: PciAbi) => deviceSetArb(abi).filter((s) => s.devices.length > 0);

describe.each(flatAbis.filter((a) => a.semantics !== 'skeleton').map((a) => [a.id, a] as const))('%s: out of range', (_, abi) => {
  for (const f of abi.entry.fields) {
    test.prop([withDevices(abi), outOfRange(f)], { numRuns: Math.ceil(numRuns / 4) })(`devices[0].${f.name} is refused, never wrapped`, (set, v) => {
      const devices = set.devices.map((d, i) => (i === 0 ? { ...d, [f.name]: v } : d));
      expectUsageError(() => encode({ ...set, devices }, abi.id), `devices[0].${f.name}`);
    });
  }
});

describe.each(abis.map((a) => [a.id, a] as const))('%s: root out of range', (_, abi) => {
  for (const f of abi.root.fields.filter((x) => !x.flexible)) {
    test.prop([outOfRange(f)], { numRuns: Math.ceil(numRuns / 4) })(`root.${f.name} is refused, never wrapped`, (v) => {
      const root: Record<string, unknown> = Object.fromEntries(abi.root.fields.filter((x) => !x.flexible).map((x) => [x.name, 0]));
      root[f.name] = v;
      expectUsageError(() => encode({ root }, abi.id), `root.${f.name}`);
    });
  }
});
