import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { extraSize, KIND_NAMES } from '../../src/btf/btf-kinds.js';

/** One type record of a little-endian raw BTF blob: where it is, so a test can damage it. */
export interface RawRecord {
  readonly id: number;
  /** Byte offset of the record's `struct btf_type` in the blob. */
  readonly at: number;
  readonly kind: string;
  readonly vlen: number;
  readonly name: string;
}

/** The header fields of a raw BTF blob. */
export function rawHeader(raw: Uint8Array) {
  const v = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const hdrLen = v.getUint32(4, true);
  return { hdrLen, typeOff: v.getUint32(8, true), typeLen: v.getUint32(12, true), strOff: v.getUint32(16, true), strLen: v.getUint32(20, true) };
}

/** Every record of a raw (base) BTF blob, found by walking the type section. */
export function rawRecords(raw: Uint8Array): RawRecord[] {
  const v = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const h = rawHeader(raw);
  const strings = h.hdrLen + h.strOff;
  const name = (off: number) => Buffer.from(raw.subarray(strings + off, raw.indexOf(0, strings + off))).toString('latin1');
  const out: RawRecord[] = [];
  for (let at = h.hdrLen + h.typeOff, id = 1; at < h.hdrLen + h.typeOff + h.typeLen; id++) {
    const info = v.getUint32(at + 4, true);
    const kind = (info >>> 24) & 0x1f;
    const vlen = info & 0xffff;
    out.push({ id, at, kind: KIND_NAMES[kind]!, vlen, name: name(v.getUint32(at, true)) });
    at += 12 + extraSize(kind, vlen);
  }
  return out;
}

/** The `.BTF` section of an object as raw BTF, cut out by binutils' objcopy (`--dump-section`). */
export function extractBtf(object: string, out: string): Uint8Array {
  try {
    execFileSync('objcopy', ['--dump-section', `.BTF=${out}`, object, `${out}.o`], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new Error('objcopy not found on PATH: this test needs binutils (apt-get install binutils)');
    throw e;
  }
  return new Uint8Array(readFileSync(out));
}
