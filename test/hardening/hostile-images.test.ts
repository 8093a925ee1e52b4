import { closeSync, ftruncateSync, mkdtempSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeImage } from '../../src/codec/encode-image.js';
import { ImageMemory } from '../../src/fuzz/image-memory.js';
import { kdumpStruct } from '../../src/memory/kdump/kdump-structs.js';
import { runCli } from '../cli/run-cli.js';
import { expectBounded, measure } from '../helpers/measure-cli.js';
import { writeKdump } from '../helpers/write-kdump.js';

const dir = mkdtempSync(join(tmpdir(), 'kho-abi-hostile-img-'));
const BASE = 0x100000n;
const BS = 4096;
const ok = join(dir, 'ok.kdump');
const off = (struct: Parameters<typeof kdumpStruct>[0], name: string) => kdumpStruct(struct).fields.find((f) => f.name === name)!.offset;
const decodeArgs = (file: string) => ['decode', '--abi', 'pci/blk16-v1', '--memory', file, '--root-pa', '0x100000'];

/** The valid kdump file's bytes and where its parts are. */
let good: Buffer;
let bitmap2: number;
let descriptors: number;

/** A copy of the valid kdump file changed by `edit`, written to `name`. */
function variant(name: string, edit: (b: Buffer) => Buffer | void): string {
  const copy = Buffer.from(good);
  const path = join(dir, name);
  writeFileSync(path, edit(copy) ?? copy);
  return path;
}

/** makedumpfile's flattened stream: a 4096-byte header, then (big-endian offset, size, data) records, then the end marker unless `end` is false. */
function flattened(records: Array<[number, Uint8Array]>, end = true): Buffer {
  const head = Buffer.alloc(4096);
  head.write('makedumpfile', 'latin1');
  head.writeBigInt64BE(1n, 16);
  head.writeBigInt64BE(1n, 24);
  const parts = [head];
  for (const [offset, data] of records) {
    const h = Buffer.alloc(16);
    h.writeBigInt64BE(BigInt(offset), 0);
    h.writeBigInt64BE(BigInt(data.length), 8);
    parts.push(h, Buffer.from(data));
  }
  if (end) parts.push(Buffer.alloc(16, 0xff));
  return Buffer.concat(parts);
}

beforeAll(async () => {
  const devices = Array.from({ length: 600 }, (_, i) => ({ index: i, domain: 0, bdf: i + 1, refcount: 1 }));
  const core = encodeImage({ root: { version: 1, nr_devices: 600, devices: 0 }, devices }, 'pci/blk16-v1');
  const raw = new Uint8Array(1 << 20);
  for (const l of new ImageMemory(core).loads) raw.set(core.subarray(l.offset, l.offset + Number(l.end - l.start)), Number(l.start - BASE));
  writeFileSync(join(dir, 'ram.bin'), raw);
  await writeKdump(join(dir, 'ram.bin'), BASE, ok, { codec: 'zlib' });
  good = readFileSync(ok);
  const bitmapBlocks = good.readUInt32LE(off('disk_dump_header', 'bitmap_blocks'));
  bitmap2 = 2 * BS + (bitmapBlocks * BS) / 2;
  descriptors = 2 * BS + bitmapBlocks * BS;
});

describe('hostile kdump files and flattened streams: exit 2 with one clear line, in bounded time and memory', () => {
  it('the valid file decodes (the variants below differ from it only where they say)', async () => {
    const r = await runCli([...decodeArgs(ok), '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).devices).toHaveLength(600);
  });

  it.each([
    [
      'a bitmap claiming more pages than the file holds',
      (b: Buffer) => {
        b.writeBigUInt64LE(32768n, BS + off('kdump_sub_header', 'max_mapnr_64'));
        b.fill(0xff, bitmap2, bitmap2 + BS);
      },
      /marks 32768 pages dumpable; their page descriptors would end at byte \d+, past the end of the \d+-byte file/,
    ],
    ['bitmaps past the end of the file', (b: Buffer) => void b.writeUInt32LE(0xffffffff, off('disk_dump_header', 'bitmap_blocks')), /the bitmaps \(4294967295 blocks at byte 8192\) end past the end/],
    ['max_mapnr beyond 52-bit physical addresses', (b: Buffer) => void b.writeBigUInt64LE(1n << 50n, BS + off('kdump_sub_header', 'max_mapnr_64')), /max_mapnr 1125899906842624: pages past the 52-bit physical address space/],
    ['a block_size that is not a page size', (b: Buffer) => void b.writeInt32LE(3000, off('disk_dump_header', 'block_size')), /block_size 3000 is not a power of two/],
    ['a page descriptor pointing past the end', (b: Buffer) => void b.writeBigInt64LE(1n << 40n, descriptors + off('page_desc', 'offset')), /page 0x100000 \(pfn 256\): page_desc 0 points at bytes 1099511627776\.\.\d+, past the end of the \d+-byte file/],
    ['a page descriptor with unknown flags', (b: Buffer) => void b.writeUInt32LE(0x40, descriptors + off('page_desc', 'flags')), /page_desc 0 has unknown flags 0x40/],
    [
      'a zlib page that decompresses to more than a block',
      (b: Buffer) => {
        const bomb = deflateSync(Buffer.alloc(2 * BS, 0x41));
        b.writeBigInt64LE(BigInt(b.length), descriptors + off('page_desc', 'offset'));
        b.writeUInt32LE(bomb.length, descriptors + off('page_desc', 'size'));
        return Buffer.concat([b, bomb]);
      },
      /page 0x100000 \(pfn 256\): a zlib page that decompresses to more than the 4096-byte block/,
    ],
    [
      'a snappy page that says it decompresses to more than a block',
      (b: Buffer) => {
        const bomb = Buffer.from([0x80, 0x40, 0x00, 0x41]); // varint 8192, then a 1-byte literal
        b.writeBigInt64LE(BigInt(b.length), descriptors + off('page_desc', 'offset'));
        b.writeUInt32LE(bomb.length, descriptors + off('page_desc', 'size'));
        b.writeUInt32LE(0x4, descriptors + off('page_desc', 'flags'));
        return Buffer.concat([b, bomb]);
      },
      /a snappy page that decompresses to more than the 4096-byte block/,
    ],
    ['a file cut inside the page data', (b: Buffer) => b.subarray(0, b.length - 100), /past the end of the \d+-byte file/],
  ])('%s', async (name, edit, message) => {
    expectBounded(await measure(decodeArgs(variant(`${name.replace(/\W+/g, '-')}.kdump`, edit))), 2, message);
  });

  it('reads a flattened stream of the valid file, whatever the order of its records', async () => {
    const half = Math.floor(good.length / 2);
    const path = join(dir, 'reordered.flat');
    writeFileSync(path, flattened([[half, good.subarray(half)], [0, good.subarray(0, half)]]));
    const r = await runCli([...decodeArgs(path), '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).devices).toHaveLength(600);
  });

  it.each([
    ['overlapping records', () => flattened([[0, good.subarray(0, 9000)], [8192, good.subarray(8192)]]), /flattened records overlap: bytes 8192\.\.9000 are written by the records at stream bytes 4096 and 13112/],
    ['no end marker', () => flattened([[0, good]], false), /flattened stream ends at byte \d+ without its end marker/],
    ['a record that runs past the end', () => flattened([[0, good]]).subarray(0, 4096 + 16 + 100), /flattened record at byte 4096 holds \d+ bytes, past the end of the 4212-byte stream/],
    ['a negative offset', () => flattened([[-5, good]]), /flattened record at byte 4096 has offset -5/],
    ['a stream that holds no kdump file', () => flattened([[0, Buffer.from('not a dump')]]), /does not hold a kdump file/],
  ])('a flattened stream with %s', async (name, bytes, message) => {
    const path = join(dir, `${name.replace(/\W+/g, '-')}.flat`);
    writeFileSync(path, bytes());
    expectBounded(await measure(decodeArgs(path)), 2, message);
  });

  it('a flattened stream of 16 MiB of empty records (a million) and no end: indexed and refused in bounded time and memory', async () => {
    const path = join(dir, 'endless.flat');
    const fd = openSync(path, 'w');
    writeSync(fd, flattened([], false));
    ftruncateSync(fd, 16 << 20); // sparse: zero records (offset 0, size 0) up to the end
    closeSync(fd);
    expectBounded(await measure(decodeArgs(path)), 2, /flattened stream ends at byte 16777216 without its end marker/);
  });
});
