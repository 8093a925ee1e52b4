/**
 * LZO1X decompression (the format of liblzo2's lzo1x_1_compress, which makedumpfile -l and
 * QEMU dump-guest-memory -l write), checked at every step like lzo1x_decompress_safe:
 * input overrun, output above `limit`, look-behind before the start and unconsumed input
 * are errors. The instruction encoding is the one Documentation/staging/lzo.rst describes.
 */
export function lzo1xDecompress(src: Uint8Array, limit: number): Uint8Array {
  const out = new Uint8Array(limit);
  let ip = 0;
  let op = 0;
  const byte = (): number => {
    if (ip >= src.length) throw new LzoError('input ends inside an instruction');
    return src[ip++]!;
  };
  /** A run length: `base` plus 255 per zero byte plus the first non-zero byte. */
  const length = (base: number): number => {
    let n = base;
    for (let b = byte(); b === 0; b = byte()) {
      n += 255;
      if (n > limit) throw new LzoError(`a run of more than ${limit} bytes`);
    }
    return n + src[ip - 1]!;
  };
  const literals = (n: number): void => {
    if (ip + n > src.length) throw new LzoError('input ends inside a literal run');
    if (op + n > limit) throw new LzoError(`output exceeds ${limit} bytes`);
    out.set(src.subarray(ip, ip + n), op);
    ip += n;
    op += n;
  };
  const copyMatch = (distance: number, n: number): void => {
    const from = op - distance;
    if (from < 0) throw new LzoError(`a match reaches ${-from} bytes before the start of the output`);
    if (op + n > limit) throw new LzoError(`output exceeds ${limit} bytes`);
    for (let i = 0; i < n; i++) out[op + i] = out[from + i]!;
    op += n;
  };

  // state: the number of literals the last instruction carried (0..3, or 4 after a long run)
  let state = 0;
  let t = byte();
  if (t > 17) {
    literals(t - 17);
    state = t - 17 < 4 ? t - 17 : 4;
    t = byte();
  }
  for (;;) {
    if (t < 16) {
      if (state === 0) {
        // a literal run of 4 or more
        literals((t === 0 ? length(15) : t) + 3);
        state = 4;
        t = byte();
        continue;
      }
      const b = byte();
      if (state === 4) copyMatch(1 + 0x800 + (t >> 2) + (b << 2), 3);
      else copyMatch(1 + (t >> 2) + (b << 2), 2);
    } else if (t >= 64) {
      const b = byte();
      copyMatch(1 + ((t >> 2) & 7) + (b << 3), (t >> 5) + 1);
    } else if (t >= 32) {
      const n = (t & 31) === 0 ? length(31) : t & 31;
      const d = byte() | (byte() << 8);
      copyMatch(1 + (d >> 2), n + 2);
    } else {
      const n = (t & 7) === 0 ? length(7) : t & 7;
      const lo = byte();
      const d = lo | (byte() << 8);
      const distance = ((t & 8) << 11) + (d >> 2);
      if (distance === 0) {
        if (n !== 1) throw new LzoError('a malformed end-of-stream marker');
        break;
      }
      copyMatch(distance + 0x4000, n + 2);
    }
    state = src[ip - 2]! & 3;
    if (state) literals(state);
    t = byte();
  }
  if (ip !== src.length) throw new LzoError(`${src.length - ip} bytes after the end-of-stream marker`);
  return op === limit ? out : out.subarray(0, op);
}

/** An LZO stream that is not well formed. */
export class LzoError extends Error {
  override readonly name = 'LzoError';
}
