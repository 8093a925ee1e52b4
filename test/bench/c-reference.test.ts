import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fc } from '@fast-check/vitest';
import { afterAll, describe, expect, it } from 'vitest';
import { compileCReference } from '../../bench/measure.mjs';
import { decode, getAbi, type PciAbi } from '../../src/index.js';
import { writeInt } from '../../src/layout/field-io.js';

// The benchmark's C reference (the kernel structs, gcc -O2) and columns() read the same
// fields of the same entries: its dump mode writes its arrays, compared byte for byte.
const cRef = compileCReference(fileURLToPath(new URL('../../bench/c-reference.c', import.meta.url)));
afterAll(() => rmSync(cRef.dir, { recursive: true, force: true }));

/** The C reference's arrays for a blob: the count, then domain, bdf and the third field as the C arrays hold them. */
function cColumns(bytes: Uint8Array, id: string): Buffer {
  if (!cRef.exe) throw new Error(`gcc could not build bench/c-reference.c (apt-get install gcc): ${cRef.error}`);
  const file = join(cRef.dir, 'blob.bin');
  writeFileSync(file, bytes);
  return execFileSync(cRef.exe, [file, id, '0', 'dump']);
}

/** Our columns of a blob in the same layout: u64 count, then each column's bytes (little-endian host). */
function ourColumns(bytes: Uint8Array, id: string): Buffer {
  const columns = Object.values(decode(bytes, id).devices!.columns());
  const count = Buffer.alloc(8);
  count.writeBigUInt64LE(BigInt(columns[0]!.length));
  return Buffer.concat([count, ...columns.map((c) => Buffer.from(c.buffer, c.byteOffset, c.byteLength))]);
}

describe.each(['pci-v2/flat8-max32', 'pci-v1/flat8-max64'])('%s: columns() against the C reference', (id) => {
  const abi = getAbi(id) as PciAbi;

  it('gives the same arrays, byte for byte, for random blobs with free and used slots', () => {
    fc.assert(
      fc.property(fc.nat(300), fc.nat(300), fc.infiniteStream(fc.nat(3)), fc.integer(), (slots, nr, freeSlots, seed) => {
        const bytes = new Uint8Array(abi.roles.devices.offset + slots * abi.entry.size);
        let x = seed | 1;
        for (let i = 0; i < bytes.length; i++) bytes[i] = (x = (x * 1103515245 + 12345) | 0) >>> 24;
        const view = new DataView(bytes.buffer);
        writeInt(view, abi.roles.nr.offset, abi.roles.nr, BigInt(Math.min(nr, slots)));
        writeInt(view, abi.roles.max!.offset, abi.roles.max!, BigInt(slots));
        const rc = abi.roles.refcount;
        const free = freeSlots[Symbol.iterator]();
        if (rc) for (let i = 0; i < slots; i++) if (free.next().value === 0) writeInt(view, abi.roles.devices.offset + i * abi.entry.size + rc.offset, rc, 0n);
        expect(ourColumns(bytes, id).equals(cColumns(bytes, id))).toBe(true);
      }),
      { numRuns: 25 },
    );
  });
});
