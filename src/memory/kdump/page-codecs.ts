import { inflateSync } from 'node:zlib';
import { Decompress } from 'fzstd';
import { uncompress as snappyUncompress } from 'snappyjs';
import { lzo1xDecompress } from './lzo1x.js';

/** page_desc.flags bits of makedumpfile's diskdump_mod.h: how a page's bytes are stored. */
export const DUMP_DH_COMPRESSED_ZLIB = 0x1;
export const DUMP_DH_COMPRESSED_LZO = 0x2;
export const DUMP_DH_COMPRESSED_SNAPPY = 0x4;
export const DUMP_DH_COMPRESSED_INCOMPLETE = 0x8;
export const DUMP_DH_COMPRESSED_ZSTD = 0x20;

const CODECS: ReadonlyArray<readonly [number, string, (src: Uint8Array, limit: number) => Uint8Array]> = [
  [DUMP_DH_COMPRESSED_ZLIB, 'zlib', (src, limit) => inflateSync(src, { maxOutputLength: limit })],
  [DUMP_DH_COMPRESSED_LZO, 'lzo', lzo1xDecompress],
  [DUMP_DH_COMPRESSED_SNAPPY, 'snappy', (src, limit) => snappyUncompress(src, limit)],
  [DUMP_DH_COMPRESSED_ZSTD, 'zstd', zstdDecompress],
];

/** The compression a page_desc.flags value names ('none' for a page stored as is), or undefined for unknown bits. */
export function pageCodecName(flags: number): string | undefined {
  const known = CODECS.filter(([bit]) => flags & bit);
  if (flags & ~(DUMP_DH_COMPRESSED_ZLIB | DUMP_DH_COMPRESSED_LZO | DUMP_DH_COMPRESSED_SNAPPY | DUMP_DH_COMPRESSED_ZSTD) || known.length > 1) return undefined;
  return known[0]?.[1] ?? 'none';
}

/**
 * The bytes of one dumped page: `stored` decompressed by the codec its flags name, which
 * must give exactly `blockSize` bytes (never more is produced). Throws an Error saying
 * what is wrong otherwise.
 */
export function decodePage(stored: Uint8Array, flags: number, blockSize: number): Uint8Array {
  const codec = CODECS.find(([bit]) => flags & bit);
  if (!codec) {
    if (stored.length !== blockSize) throw new Error(`an uncompressed page of ${stored.length} bytes, not ${blockSize}`);
    return stored;
  }
  let page: Uint8Array;
  try {
    page = codec[2](stored, blockSize);
  } catch (e) {
    const tooBig = e instanceof RangeError || /exceed|too big|more than/i.test(String((e as Error).message));
    throw new Error(tooBig ? `a ${codec[1]} page that decompresses to more than the ${blockSize}-byte block` : `a ${codec[1]} page that does not decompress (${(e as Error).message})`);
  }
  if (page.length !== blockSize) throw new Error(`a ${codec[1]} page that decompresses to ${page.length} bytes, not the ${blockSize}-byte block`);
  return page;
}

/** zstd frames decompressed as a stream into at most `limit` bytes (fzstd alone would grow its output). */
function zstdDecompress(src: Uint8Array, limit: number): Uint8Array {
  const out = new Uint8Array(limit);
  let size = 0;
  const stream = new Decompress((chunk) => {
    if (size + chunk.length > limit) throw new Error(`output exceeds ${limit} bytes`);
    out.set(chunk, size);
    size += chunk.length;
  });
  stream.push(src, true);
  return size === limit ? out : out.subarray(0, size);
}
