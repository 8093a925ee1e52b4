import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PageCache } from '../../src/memory/page-cache.js';

describe('PageCache bulk reads (O_DIRECT where the file system allows, buffered otherwise)', () => {
  it('give the file bytes at aligned and unaligned offsets, and after a write through another descriptor', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'kho-abi-cache-')), 'img');
    const data = randomBytes(5 << 20);
    writeFileSync(path, data);
    const fd = openSync(path, 'r');
    try {
      const cache = new PageCache(fd, data.length);
      for (const [offset, length] of [[0, 4 << 20], [4096, 2 << 20], [123, (1 << 20) + 5], [8192, 1 << 20]] as const) {
        const dest = new Uint8Array(length);
        cache.readInto(offset, dest);
        expect(Buffer.from(dest).equals(data.subarray(offset, offset + length)), `${offset}+${length}`).toBe(true);
      }
      const fresh = randomBytes(1 << 20);
      writeFileSync(path, Buffer.concat([fresh, data.subarray(fresh.length)]));
      const dest = new Uint8Array(1 << 20);
      cache.readInto(0, dest);
      expect(Buffer.from(dest).equals(fresh)).toBe(true);
    } finally {
      closeSync(fd);
    }
  });
});
