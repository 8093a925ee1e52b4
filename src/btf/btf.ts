import { BtfError } from './btf-error.js';
import { BTF_HEADER_SIZE, BTF_KIND, BTF_MAGIC, FIXED_WORDS, KIND_NAMES, VLEN_WORDS, type BtfKindName } from './btf-kinds.js';

/** How a BTF blob is read: over a base (split BTF), and what the ELF header said about the target. */
export interface BtfInit {
  /** The base BTF this one extends (a module's BTF over vmlinux). */
  readonly base?: Btf;
  /** Pointer size of the target (from the ELF class); guessed from `long` when absent. */
  readonly pointerSize?: 4 | 8;
  /** ELF e_machine, when the BTF came from an ELF file. */
  readonly machine?: number;
  /** How the BTF is named in error messages. */
  readonly file?: string;
}

/** A struct or union member as BTF stores it. */
export interface BtfMember {
  readonly name: string;
  readonly type: number;
  /** Bits from the start of the struct. */
  readonly bitOffset: number;
  /** Bit-field width from the member record (`kind_flag` encoding); 0 when not a bit-field there. */
  readonly bitSize: number;
}

/** One decoded BTF type record. */
export interface BtfType {
  readonly id: number;
  readonly kind: BtfKindName;
  readonly name: string;
  readonly kindFlag: boolean;
  readonly vlen: number;
  /** `size` for INT, STRUCT, UNION, ENUM, ENUM64, FLOAT, DATASEC; the referenced type id otherwise. */
  readonly sizeOrType: number;
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();
const HOST_LE = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** The 32-bit words of the type section in host byte order (a view when possible, else a copy). */
function typeWords(bytes: Uint8Array, start: number, len: number, le: boolean): Uint32Array {
  const n = len >>> 2;
  if (le === HOST_LE && (bytes.byteOffset + start) % 4 === 0) return new Uint32Array(bytes.buffer, bytes.byteOffset + start, n);
  const v = new DataView(bytes.buffer, bytes.byteOffset + start, n * 4);
  const w = new Uint32Array(n);
  for (let i = 0; i < n; i++) w[i] = v.getUint32(i * 4, le);
  return w;
}

/**
 * A parsed BTF blob: the header, string table and every type record checked once up front
 * (bounds, kinds, string offsets, type ids), records decoded on demand. Type ids start after
 * the base's for split BTF.
 */
export class Btf {
  readonly littleEndian: boolean;
  readonly base: Btf | undefined;
  /** The first type id this blob holds (1, or the base's `endId`). */
  readonly firstId: number;
  /** One past the last type id. */
  readonly endId: number;
  readonly machine: number | undefined;
  /** How the BTF is named in messages: its file, or `BTF`. */
  readonly file: string;
  private readonly bytes: Uint8Array;
  private readonly w: Uint32Array;
  private readonly typeStart: number;
  private readonly strStart: number;
  private readonly strLen: number;
  /** Where this blob's string offsets start (the base's string table comes first). */
  private readonly strBase: number;
  /** The word index of each type record in `w`. */
  private readonly offsets: Uint32Array;
  private ptrSize: 4 | 8 | undefined;

  constructor(bytes: Uint8Array, init: BtfInit = {}) {
    this.file = init.file ?? 'BTF';
    this.bytes = bytes;
    this.base = init.base;
    this.machine = init.machine ?? init.base?.machine;
    this.ptrSize = init.pointerSize;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (bytes.length < BTF_HEADER_SIZE) this.fail(`${bytes.length} bytes are too short for a BTF header (${BTF_HEADER_SIZE})`, 0);
    const magic = view.getUint16(0, true);
    if (magic === BTF_MAGIC) this.littleEndian = true;
    else if (view.getUint16(0, false) === BTF_MAGIC) this.littleEndian = false;
    else this.fail(`no BTF magic 0xeb9f (found 0x${magic.toString(16).padStart(4, '0')})`, 0);
    const le = this.littleEndian;
    if (bytes[2] !== 1) this.fail(`BTF version ${bytes[2]} is not supported (this reader knows version 1)`, 2);
    const hdrLen = view.getUint32(4, le);
    if (hdrLen < BTF_HEADER_SIZE || hdrLen > bytes.length) this.fail(`header length ${hdrLen} is outside ${BTF_HEADER_SIZE}..${bytes.length}`, 4);
    const typeOff = view.getUint32(8, le);
    const typeLen = view.getUint32(12, le);
    const strOff = view.getUint32(16, le);
    const strLen = view.getUint32(20, le);
    this.typeStart = hdrLen + typeOff;
    this.strStart = hdrLen + strOff;
    this.strLen = strLen;
    if (this.typeStart % 4 !== 0) this.fail(`type section offset ${typeOff} is not 4-byte aligned`, 8);
    if (this.typeStart + typeLen > bytes.length) this.fail(`type section (${typeLen} bytes at ${this.typeStart}) runs past the end of the BTF (${bytes.length} bytes)`, 12);
    if (this.strStart + strLen > bytes.length) this.fail(`string section (${strLen} bytes at ${this.strStart}) runs past the end of the BTF (${bytes.length} bytes)`, 20);
    if (typeLen > 0 && strLen > 0 && this.typeStart < this.strStart + strLen && this.strStart < this.typeStart + typeLen) {
      this.fail('type and string sections overlap', 8);
    }
    if (typeLen % 4 !== 0) this.fail(`type section length ${typeLen} is not a multiple of 4`, 12);
    this.strBase = this.base ? this.base.strBase + this.base.strLen : 0;
    this.firstId = this.base ? this.base.endId : 1;
    if (!this.base && (strLen === 0 || bytes[this.strStart] !== 0)) {
      this.fail('the string section does not start with an empty string: split BTF (a module)? give its base with --base (e.g. /sys/kernel/btf/vmlinux)', this.strStart);
    }
    if (strLen > 0 && bytes[this.strStart + strLen - 1] !== 0) this.fail('the string section does not end with a NUL byte', this.strStart + strLen - 1);
    this.w = typeWords(bytes, this.typeStart, typeLen, le);
    this.offsets = this.indexTypes();
    this.endId = this.firstId + this.offsets.length;
  }

  private fail(message: string, offset?: number): never {
    throw new BtfError(`${this.file}: ${message}`, offset);
  }

  /**
   * Walk the type section once: every record whole, of a known kind, with names inside the
   * string table and type ids that exist.
   */
  private indexTypes(): Uint32Array {
    const w = this.w;
    const end = w.length;
    const offsets = new Uint32Array(Math.floor(end / 3) + 1);
    let n = 0;
    let maxRef = 0;
    let maxFrom = 0;
    const strEnd = this.strBase + this.strLen;
    const byte = (word: number) => this.typeStart + word * 4;
    for (let at = 0; at < end; ) {
      const id = this.firstId + n;
      if (at + 3 > end) this.fail(`type ${id}: truncated record at ${byte(at)} (type section ends at ${byte(end)})`, byte(at));
      const info = w[at + 1]!;
      const kind = (info >>> 24) & 0x1f;
      const vlen = info & 0xffff;
      if (kind === 0 || kind > BTF_KIND.ENUM64) this.fail(`type ${id}: unknown BTF kind ${kind} (this reader knows kinds 1..${BTF_KIND.ENUM64})`, byte(at + 1));
      if (info & 0x60ff0000) this.fail(`type ${id}: reserved bits of info 0x${info.toString(16)} are set`, byte(at + 1));
      if (w[at]! >= strEnd) this.fail(`type ${id}: name offset ${w[at]} is past the string section (${strEnd} bytes)`, byte(at));
      const per = VLEN_WORDS[kind]!;
      const first = at + 3 + FIXED_WORDS[kind]!;
      const next = first + per * vlen;
      if (next > end) this.fail(`type ${id} (${KIND_NAMES[kind]}, vlen ${vlen}): record of ${(next - at) * 4} bytes runs past the type section`, byte(at));
      let top = 0;
      if (per !== 0) {
        // Members, parameters and enumerators start with a name; members and parameters then a type, section variables with a type.
        const named = kind !== BTF_KIND.DATASEC;
        const typed = kind === BTF_KIND.DATASEC ? 0 : kind === BTF_KIND.ENUM || kind === BTF_KIND.ENUM64 ? -1 : 1;
        for (let p = first; p < next; p += per) {
          if (named && w[p]! >= strEnd) this.fail(`type ${id} member ${(p - first) / per}: name offset ${w[p]} is past the string section (${strEnd} bytes)`, byte(p));
          if (typed >= 0 && w[p + typed]! > top) top = w[p + typed]!;
        }
      }
      if (kind === BTF_KIND.ARRAY) top = Math.max(w[at + 3]!, w[at + 4]!);
      else if (kind !== BTF_KIND.INT && kind !== BTF_KIND.STRUCT && kind !== BTF_KIND.UNION && kind !== BTF_KIND.ENUM && kind !== BTF_KIND.ENUM64 && kind !== BTF_KIND.FWD && kind !== BTF_KIND.FLOAT && kind !== BTF_KIND.DATASEC) {
        top = Math.max(top, w[at + 2]!);
      }
      if (top > maxRef) {
        maxRef = top;
        maxFrom = n;
      }
      offsets[n++] = at;
      at = next;
    }
    if (maxRef >= this.firstId + n) {
      const hint = this.base ? '' : ' (split BTF? give its base with --base)';
      this.fail(`type ${this.firstId + maxFrom} refers to type ${maxRef}, but the last type is ${this.firstId + n - 1}${hint}`, byte(offsets[maxFrom]!));
    }
    return offsets.subarray(0, n);
  }

  /** The blob holding a type id, and the record's word index in it. */
  private at(id: number): { btf: Btf; at: number } {
    if (id < this.firstId) {
      if (this.base) return this.base.at(id);
      throw new BtfError(`${this.file}: type ${id} does not exist (void has no record)`);
    }
    const at = this.offsets[id - this.firstId];
    if (at === undefined) throw new BtfError(`${this.file}: type ${id} does not exist (the last is ${this.endId - 1})`);
    return { btf: this, at };
  }

  /** A string of the string table (this blob's, or the base's below its offset). */
  str(off: number): string {
    if (off < this.strBase) return this.base!.str(off);
    const b = this.bytes;
    const start = this.strStart + off - this.strBase;
    let end = start;
    let ascii = true;
    for (; b[end] !== 0; end++) if (b[end]! >= 0x80) ascii = false;
    if (!ascii || end - start > 256) return decoder.decode(b.subarray(start, end));
    return String.fromCharCode.apply(null, b.subarray(start, end) as unknown as number[]);
  }

  /** Whether the string at `off` is exactly `name` (NUL-terminated bytes), without decoding it. */
  private strIs(off: number, name: Uint8Array): boolean {
    if (off < this.strBase) return this.base!.strIs(off, name);
    const start = this.strStart + off - this.strBase;
    const b = this.bytes;
    if (start + name.length >= this.strStart + this.strLen || b[start + name.length] !== 0) return false;
    for (let k = 0; k < name.length; k++) if (b[start + k] !== name[k]) return false;
    return true;
  }

  /** The kind number of a type (0 for void, id 0). */
  kind(id: number): number {
    if (id === 0) return 0;
    const { btf, at } = this.at(id);
    return (btf.w[at + 1]! >>> 24) & 0x1f;
  }

  /** One type record's common part. */
  type(id: number): BtfType {
    const { btf, at } = this.at(id);
    const info = btf.w[at + 1]!;
    return {
      id,
      kind: KIND_NAMES[(info >>> 24) & 0x1f]!,
      name: btf.str(btf.w[at]!),
      kindFlag: info >>> 31 === 1,
      vlen: info & 0xffff,
      sizeOrType: btf.w[at + 2]!,
    };
  }

  /** A type's name ('' when anonymous). */
  name(id: number): string {
    const { btf, at } = this.at(id);
    return btf.str(btf.w[at]!);
  }

  /** BTF_KIND_INT data: encoding bits, bit offset and width. */
  intInfo(id: number): { encoding: number; offset: number; bits: number } {
    const { btf, at } = this.at(id);
    const d = btf.w[at + 3]!;
    return { encoding: (d >>> 24) & 0x0f, offset: (d >>> 16) & 0xff, bits: d & 0xff };
  }

  /** BTF_KIND_ARRAY data: element type, index type and element count. */
  arrayInfo(id: number): { type: number; indexType: number; nelems: number } {
    const { btf, at } = this.at(id);
    return { type: btf.w[at + 3]!, indexType: btf.w[at + 4]!, nelems: btf.w[at + 5]! };
  }

  /** The members of a STRUCT or UNION, with bit-field widths decoded from `kind_flag`. */
  members(id: number): BtfMember[] {
    const { btf, at } = this.at(id);
    const w = btf.w;
    const info = w[at + 1]!;
    const kindFlag = info >>> 31 === 1;
    const out: BtfMember[] = [];
    for (let k = 0, p = at + 3; k < (info & 0xffff); k++, p += 3) {
      const off = w[p + 2]!;
      out.push({ name: btf.str(w[p]!), type: w[p + 1]!, bitOffset: kindFlag ? off & 0xffffff : off, bitSize: kindFlag ? off >>> 24 : 0 });
    }
    return out;
  }

  /** The enumerators of an ENUM or ENUM64 (values as bigint, signed when `kind_flag` says so). */
  enumerators(id: number): Array<{ name: string; value: bigint }> {
    const { btf, at } = this.at(id);
    const w = btf.w;
    const info = w[at + 1]!;
    const signed = info >>> 31 === 1;
    const is64 = ((info >>> 24) & 0x1f) === BTF_KIND.ENUM64;
    const out: Array<{ name: string; value: bigint }> = [];
    for (let k = 0, p = at + 3; k < (info & 0xffff); k++, p += is64 ? 3 : 2) {
      const lo = BigInt(w[p + 1]!);
      const raw = is64 ? (BigInt(w[p + 2]!) << 32n) | lo : lo;
      out.push({ name: btf.str(w[p]!), value: signed ? BigInt.asIntN(is64 ? 64 : 32, raw) : raw });
    }
    return out;
  }

  /** The parameter types of a FUNC_PROTO (0 for a trailing `...`). */
  params(id: number): number[] {
    const { btf, at } = this.at(id);
    const vlen = btf.w[at + 1]! & 0xffff;
    return Array.from({ length: vlen }, (_, k) => btf.w[at + 4 + k * 2]!);
  }

  /** Type ids with this name, base first; `kinds` narrows the search (names are compared as bytes). */
  byName(name: string, kinds?: readonly number[]): number[] {
    const out = this.base ? this.base.byName(name, kinds) : [];
    const target = encoder.encode(name);
    const mask = kinds ? kinds.reduce((m, k) => m | (1 << k), 0) : -1;
    const w = this.w;
    for (let i = 0; i < this.offsets.length; i++) {
      const at = this.offsets[i]!;
      if (((mask >>> ((w[at + 1]! >>> 24) & 0x1f)) & 1) === 0) continue;
      const off = w[at]!;
      if (off !== 0 && this.strIs(off, target)) out.push(this.firstId + i);
    }
    return out;
  }

  /** Every STRUCT and UNION id, base types first (or only this blob's own, for a split BTF's). */
  *aggregates(withBase = true): Generator<number> {
    if (this.base && withBase) yield* this.base.aggregates();
    for (let i = 0; i < this.offsets.length; i++) {
      const kind = (this.w[this.offsets[i]! + 1]! >>> 24) & 0x1f;
      if (kind === BTF_KIND.STRUCT || kind === BTF_KIND.UNION) yield this.firstId + i;
    }
  }

  /** Pointer size of the target: the ELF class, else the size of `long`, else 8. */
  get pointerSize(): 4 | 8 {
    if (this.ptrSize === undefined) {
      this.ptrSize = this.base?.pointerSize;
      for (const name of ['long int', 'long unsigned int']) {
        if (this.ptrSize) break;
        const id = this.byName(name, [BTF_KIND.INT])[0];
        const size = id === undefined ? undefined : this.type(id).sizeOrType;
        if (size === 4 || size === 8) this.ptrSize = size;
      }
      this.ptrSize ??= 8;
    }
    return this.ptrSize;
  }
}
