import { BtfError } from './btf-error.js';
import { MAX_BTF_SIZE } from './btf-kinds.js';
import type { ByteSource } from './byte-source.js';

/** Where the `.BTF` section of an ELF file is, and what the ELF header says about the target. */
export interface ElfBtfSection {
  readonly offset: number;
  readonly size: number;
  /** ELFCLASS32 or ELFCLASS64: the target's pointer size in bytes. */
  readonly pointerSize: 4 | 8;
  /** e_machine (EM_X86_64 62, EM_AARCH64 183, EM_386 3, ...). */
  readonly machine: number;
}

const SHT_NOBITS = 8;
const SHF_COMPRESSED = 0x800;
const SHN_XINDEX = 0xffff;
/** The largest section-name table read. */
const MAX_SHSTRTAB = 16 << 20;

/** Whether bytes start with the ELF magic. */
export function isElf(head: Uint8Array): boolean {
  return head.length >= 4 && head[0] === 0x7f && head[1] === 0x45 && head[2] === 0x4c && head[3] === 0x46;
}

interface Section {
  readonly name: number;
  readonly type: number;
  readonly flags: number;
  readonly offset: number;
  readonly size: number;
  readonly link: number;
}

/**
 * Find the `.BTF` section of an ELF32/ELF64 file of either byte order, reading only the ELF
 * header, the section headers and the section-name table. Undefined when there is none.
 */
export function findBtfSection(src: ByteSource, file: string): ElfBtfSection | undefined {
  const fail = (msg: string, offset?: number): never => {
    throw new BtfError(`${file}: ${msg}`, offset);
  };
  const ident = src.read(0, 64);
  if (!isElf(ident)) fail('not an ELF file');
  const cls = ident[4];
  const data = ident[5];
  if (cls !== 1 && cls !== 2) fail(`ELF class ${cls} is neither ELFCLASS32 nor ELFCLASS64`, 4);
  if (data !== 1 && data !== 2) fail(`ELF data encoding ${data} is neither little- nor big-endian`, 5);
  const is64 = cls === 2;
  const le = data === 1;
  if (ident.length < (is64 ? 64 : 52)) fail('truncated ELF header', ident.length);
  const h = new DataView(ident.buffer, ident.byteOffset, ident.length);
  const word = (v: DataView, at: number) => (is64 ? Number(v.getBigUint64(at, le)) : v.getUint32(at, le));
  const machine = h.getUint16(18, le);
  const shoff = word(h, is64 ? 40 : 32);
  const shentsize = h.getUint16(is64 ? 58 : 46, le);
  let shnum = h.getUint16(is64 ? 60 : 48, le);
  let shstrndx = h.getUint16(is64 ? 62 : 50, le);
  if (shoff === 0) return undefined;
  if (shentsize < (is64 ? 64 : 40)) fail(`section header size ${shentsize} is too small`, is64 ? 58 : 46);

  const parse = (b: Uint8Array): Section => {
    const v = new DataView(b.buffer, b.byteOffset, b.length);
    return is64
      ? { name: v.getUint32(0, le), type: v.getUint32(4, le), flags: word(v, 8), offset: word(v, 24), size: word(v, 32), link: v.getUint32(40, le) }
      : { name: v.getUint32(0, le), type: v.getUint32(4, le), flags: v.getUint32(8, le), offset: v.getUint32(16, le), size: v.getUint32(20, le), link: v.getUint32(24, le) };
  };
  if (shoff + shentsize > src.size) fail(`section headers at ${shoff} are past the end of the file (${src.size} bytes)`, shoff);
  if (shnum === 0 || shstrndx === SHN_XINDEX) {
    const first = parse(src.read(shoff, shentsize));
    if (shnum === 0) shnum = first.size;
    if (shstrndx === SHN_XINDEX) shstrndx = first.link;
  }
  if (shoff + shnum * shentsize > src.size) fail(`${shnum} section headers at ${shoff} run past the end of the file (${src.size} bytes)`, shoff);
  if (shstrndx >= shnum) fail(`section-name table index ${shstrndx} is out of range (${shnum} sections)`);
  const table = src.read(shoff, shnum * shentsize);
  const sections = Array.from({ length: shnum }, (_, i) => parse(table.subarray(i * shentsize, (i + 1) * shentsize)));
  const names = sections[shstrndx]!;
  if (names.size > MAX_SHSTRTAB || names.offset + names.size > src.size) fail(`section-name table (${names.size} bytes at ${names.offset}) is outside the file`, names.offset);
  const strtab = src.read(names.offset, names.size);
  const target = new TextEncoder().encode('.BTF\0');
  const btf = sections.find((s) => s.name + target.length <= strtab.length && target.every((c, k) => strtab[s.name + k] === c));
  if (!btf) return undefined;
  if (btf.type === SHT_NOBITS) fail('the .BTF section has no bytes in the file (SHT_NOBITS)');
  if (btf.flags & SHF_COMPRESSED) fail('the .BTF section is compressed (SHF_COMPRESSED); decompress it with objcopy --decompress-debug-sections');
  if (btf.size > MAX_BTF_SIZE) fail(`the .BTF section is ${btf.size} bytes, more than the ${MAX_BTF_SIZE >> 20} MiB this reader accepts`, btf.offset);
  if (btf.offset + btf.size > src.size) fail(`the .BTF section (${btf.size} bytes at ${btf.offset}) runs past the end of the file (${src.size} bytes)`, btf.offset);
  return { offset: btf.offset, size: btf.size, pointerSize: is64 ? 8 : 4, machine };
}
