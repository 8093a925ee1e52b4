import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeImage } from '../../src/codec/encode-image.js';
import { UsageError } from '../../src/errors.js';
import { ImageMemory } from '../../src/fuzz/image-memory.js';
import { FlattenedFile } from '../../src/memory/kdump/flattened-stream.js';
import { KdumpFile } from '../../src/memory/kdump/kdump-file.js';
import type { ImageFile } from '../../src/memory/page-cache.js';
import { writeKdump, type KdumpCodec } from '../helpers/write-kdump.js';
import { numRuns } from './runs.js';

/**
 * The kdump and flattened-stream readers on mutated files: kdump files of a block chain in
 * every page compression (written by write-kdump.c with the real libraries), with bytes
 * changed where a reader looks (headers, bitmaps, page descriptors, compressed pages), and
 * flattened streams of them with records split, reordered and changed. Every case must end
 * in bytes or a UsageError, never another exception. `npm run fuzz` (FUZZ_RUNS=20000) runs
 * 5 x FUZZ_RUNS cases of each.
 */
const RUNS = numRuns * 5;
const BASE = 0x100000n;
/** The pages read of each case: the raw memory the files were written from (a mutated max_mapnr may claim more). */
const RAM_END = 2 << 20;
const TIMEOUT = 30 * 60_000;
const CODECS: KdumpCodec[] = ['zlib', 'lzo', 'snappy', 'zstd', 'none'];
const files = new Map<KdumpCodec, Uint8Array>();

const inMemory = (bytes: Uint8Array): ImageFile => ({ size: bytes.length, readInto: (o, d) => d.set(bytes.subarray(o, o + d.length)) });

/** Read every dumped page of a kdump file; a UsageError is an answer, anything else a bug. */
function readAll(file: ImageFile): 'read' | 'refused' {
  try {
    const k = new KdumpFile(file, 'fuzz');
    const page = new Uint8Array(k.header.blockSize);
    for (let pa = 0; pa < Math.min(k.end, RAM_END); pa += page.length) {
      if (k.presentLength(pa, page.length) === page.length) k.readInto(pa, page);
    }
    return 'read';
  } catch (e) {
    if (e instanceof UsageError) return 'refused';
    throw e;
  }
}

/** Byte changes biased to the places a reader trusts: the first blocks, and anywhere in the file. */
const edits = (size: number) =>
  fc.array(
    fc.record({
      at: fc.oneof(fc.integer({ min: 0, max: 600 }), fc.integer({ min: 4096, max: 4200 }), fc.integer({ min: 8192, max: Math.min(size - 1, 24_000) }), fc.integer({ min: 0, max: size - 1 })),
      value: fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0, 0xff, 0x80, 0x7f)),
      width: fc.constantFrom(1, 1, 1, 4, 8),
    }),
    { minLength: 1, maxLength: 8 },
  );

function mutate(base: Uint8Array, changes: ReadonlyArray<{ at: number; value: number; width: number }>): Uint8Array {
  const b = new Uint8Array(base); // a copy (Buffer#slice would be a view)
  for (const c of changes) b.fill(c.value, c.at, Math.min(b.length, c.at + c.width));
  return b;
}

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kho-abi-fuzz-kdump-'));
  const devices = Array.from({ length: 700 }, (_, i) => ({ index: i, domain: i >> 8, bdf: i & 0xff, refcount: 1 }));
  const core = encodeImage({ root: { version: 1, nr_devices: 700, devices: 0 }, devices }, 'pci/blk16-v1');
  const raw = new Uint8Array(1 << 20);
  for (const l of new ImageMemory(core).loads) raw.set(core.subarray(l.offset, l.offset + Number(l.end - l.start)), Number(l.start - BASE));
  writeFileSync(join(dir, 'ram.bin'), raw);
  for (const codec of CODECS) {
    await writeKdump(join(dir, 'ram.bin'), BASE, join(dir, `${codec}.kdump`), { codec });
    files.set(codec, new Uint8Array(readFileSync(join(dir, `${codec}.kdump`))));
  }
});

describe('kdump reader on mutated files', () => {
  it.each(CODECS)('%s pages: the unmutated file reads, every mutation reads or is refused', (codec) => {
    const base = files.get(codec)!;
    expect(readAll(inMemory(base))).toBe('read');
    fc.assert(
      fc.property(edits(base.length), (changes) => {
        readAll(inMemory(mutate(base, changes)));
      }),
      { numRuns: Math.ceil(RUNS / CODECS.length) },
    );
  }, TIMEOUT);
});

describe('flattened-stream reader on mutated streams', () => {
  /** A flattened stream of `file` cut at `cuts`, records in `order`. */
  function stream(file: Uint8Array, cuts: number[], reverse: boolean): Uint8Array {
    const bounds = [0, ...[...new Set(cuts.map((c) => c % file.length))].sort((a, b) => a - b).filter((c) => c > 0), file.length];
    const records = bounds.slice(1).map((end, i) => [bounds[i]!, file.subarray(bounds[i]!, end)] as const);
    if (reverse) records.reverse();
    const head = Buffer.alloc(4096);
    head.write('makedumpfile', 'latin1');
    head.writeBigInt64BE(1n, 16);
    head.writeBigInt64BE(1n, 24);
    const parts: Uint8Array[] = [head];
    for (const [offset, data] of records) {
      const h = Buffer.alloc(16);
      h.writeBigInt64BE(BigInt(offset), 0);
      h.writeBigInt64BE(BigInt(data.length), 8);
      parts.push(h, data);
    }
    parts.push(Buffer.alloc(16, 0xff));
    return Buffer.concat(parts);
  }

  it('streams of a valid file read the same pages as the file; mutated streams read or are refused', () => {
    const base = files.get('lzo')!;
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 12 }), fc.boolean(), edits(base.length + 4096 + 13 * 16), (cuts, reverse, changes) => {
        const s = stream(base, cuts, reverse);
        expect(readAll(new FlattenedFile(inMemory(s), 'fuzz'))).toBe('read');
        const shifted = changes.map((c) => ({ ...c, at: c.at % s.length }));
        try {
          readAll(new FlattenedFile(inMemory(mutate(s, shifted)), 'fuzz'));
        } catch (e) {
          if (!(e instanceof UsageError)) throw e;
        }
      }),
      { numRuns: RUNS },
    );
  }, TIMEOUT);
});
