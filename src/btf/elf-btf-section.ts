import { readStruct } from '../layout/field-io.js';
import type { StructLayout } from '../layout/engine.js';
import { isElf } from '../memory/elf-core.js';
import { EI_CLASS, EI_DATA, elf32Ehdr, elf32Shdr, elf64Ehdr, elf64Shdr } from '../memory/elf-headers.js';
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
  const ident = src.read(0, elf64Ehdr.size);
  if (!isElf(ident)) fail('not an ELF file');
  const cls = ident[EI_CLASS];
  const data = ident[EI_DATA];
  if (cls !== 1 && cls !== 2) fail(`ELF class ${cls} is neither ELFCLASS32 nor ELFCLASS64`, EI_CLASS);
  if (data !== 1 && data !== 2) fail(`ELF data encoding ${data} is neither little- nor big-endian`, EI_DATA);
  const is64 = cls === 2;
  const bigEndian = data === 2;
  const [ehdr, shdr] = is64 ? [elf64Ehdr, elf64Shdr] : [elf32Ehdr, elf32Shdr];
  if (ident.length < ehdr.size) fail('truncated ELF header', ident.length);
  const h = readStruct(ident, 0, ehdr, bigEndian);
  const machine = Number(h.e_machine);
  const shoff = Number(h.e_shoff);
  const shentsize = Number(h.e_shentsize);
  let shnum = Number(h.e_shnum);
  let shstrndx = Number(h.e_shstrndx);
  if (shoff === 0) return undefined;
  if (shentsize < shdr.size) fail(`section header size ${shentsize} is too small`, offsetOf(ehdr, 'e_shentsize'));

  const parse = (b: Uint8Array): Section => {
    const v = readStruct(b, 0, shdr, bigEndian);
    return { name: Number(v.sh_name), type: Number(v.sh_type), flags: Number(v.sh_flags), offset: Number(v.sh_offset), size: Number(v.sh_size), link: Number(v.sh_link) };
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

function offsetOf(s: StructLayout, name: string): number {
  return s.fields.find((f) => f.name === name)!.offset;
}
