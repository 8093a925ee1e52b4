import { test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { decode, encode, type DecodedBlob } from '../../src/index.js';
import { binaryParserDecode } from '../oracles/binary-parser-oracle.js';
import type { OracleDecoded } from '../oracles/oracle-types.js';
import { restructureDecode, restructureEncode } from '../oracles/restructure-oracle.js';
import { deviceSetArb, flatAbis, plausibleBytesArb, validBlobArb } from '../../src/fuzz/arbitraries.js';
import { numRuns } from './runs.js';

/** Our decode in the oracles' shape: root fields and in-use entries without `address`. */
function ours(d: DecodedBlob): OracleDecoded {
  const devices = d.devices!.toArray().map(({ address: _a, ...rest }) => rest as unknown as OracleDecoded['devices'][number]);
  return { root: { ...(d.root as Record<string, number | bigint>) }, devices };
}

function expectAgreement(abi: (typeof flatAbis)[number], b: Uint8Array): void {
  const mine = ours(decode(b, abi.id));
  expect(binaryParserDecode(abi, b), 'binary-parser disagrees').toEqual(mine);
  expect(restructureDecode(abi, b), 'restructure disagrees').toEqual(mine);
}

/** Bytes decode accepts (arbitrary slots, stale and reserved bytes), or null. */
function accepted(abi: (typeof flatAbis)[number], b: Uint8Array): Uint8Array | null {
  try {
    decode(b, abi.id);
    return b;
  } catch {
    return null;
  }
}

describe.each(flatAbis.map((a) => [a.id, a] as const))('%s against binary-parser and restructure', (_, abi) => {
  test.prop([validBlobArb(abi)], { numRuns })('decode agrees on generated valid blobs', (g) => {
    expectAgreement(abi, encode(g, abi.id));
  });

  test.prop([plausibleBytesArb(abi).map((b) => accepted(abi, b)).filter((b) => b !== null)], { numRuns: Math.ceil(numRuns / 2) })(
    'decode agrees on arbitrary bytes that decode accepts',
    (b) => expectAgreement(abi, b!),
  );

  test.prop([deviceSetArb(abi)], { numRuns })('encode writes the same bytes as restructure', (set) => {
    expect(encode(set, abi.id)).toEqual(restructureEncode(abi, set));
  });
});

