import { describe, expect, it } from 'vitest';
import { BlobError, UsageError, decode, validate } from '../../src/index.js';
import { dev, makeBlob } from '../validate/blob.js';

describe('the library takes a blob in any byte container', () => {
  const blob = makeBlob('pci-v3/flat8-max32', { root: { max_nr_devices: 2, nr_devices: 1 }, slots: [dev(0, 0x3b, 0, 0, { refcount: 1 }), {}] });
  const padded = new Uint8Array(blob.length + 8);
  padded.set(blob, 8);

  it.each([
    ['Uint8Array', blob],
    ['Buffer', Buffer.from(blob)],
    ['ArrayBuffer', blob.slice().buffer],
    ['Uint16Array view at an offset', new Uint16Array(padded.buffer, 8, blob.length / 2)],
    ['DataView at an offset', new DataView(padded.buffer, 8, blob.length)],
  ])('%s', (_name, bytes) => {
    expect([...decode(bytes, 'pci-v3/flat8-max32').devices].map((d) => d.address)).toEqual(['0000:3b:00.0']);
    expect(validate(bytes, 'pci-v3/flat8-max32')).toEqual({ valid: true, findings: [] });
  });

  it.each([['a string', 'abc'], ['a number array', [1, 2, 3]], ['null', null]])('refuses %s with the exported usage error', (_name, bytes) => {
    expect(() => decode(bytes as never, 'pci-v3/flat8-max32')).toThrow(UsageError);
    expect(() => decode(bytes as never, 'pci-v3/flat8-max32')).toThrow(/expected the blob as a Uint8Array, Buffer, ArrayBuffer or typed array/);
  });
});

describe('error classes print their own names', () => {
  it('in the built ESM and CJS bundles too', async () => {
    const esm = await import('../../dist/index.js');
    const { createRequire } = await import('node:module');
    const cjs = createRequire(import.meta.url)('../../dist/index.cjs');
    for (const lib of [esm, cjs]) {
      expect([lib.BlobError.name, lib.UsageError.name]).toEqual(['BlobError', 'UsageError']);
      expect(new lib.BlobError('BLOB_TRUNCATED', 0, 'm').inFile('f').constructor.name).toBe('BlobError');
    }
    expect(new BlobError('BLOB_TRUNCATED', 0, 'm').inFile('f')).toBeInstanceOf(BlobError);
  });
});
