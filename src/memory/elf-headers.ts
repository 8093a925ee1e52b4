import { layoutStructs } from '../layout/engine.js';
import { struct, u16, u32, u64, u8 } from '../schema/define.js';

/** Elf32_Ehdr or Elf64_Ehdr: they differ only in the width (`word`) of e_entry, e_phoff and e_shoff. */
const ehdr = (name: string, word: typeof u32 | typeof u64) =>
  struct(name, {}, [
    u8('e_ident', 'ELFMAG, EI_CLASS, EI_DATA, EI_VERSION, …', { count: 16 }),
    u16('e_type'),
    u16('e_machine'),
    u32('e_version'),
    word('e_entry'),
    word('e_phoff'),
    word('e_shoff'),
    u32('e_flags'),
    u16('e_ehsize'),
    u16('e_phentsize'),
    u16('e_phnum'),
    u16('e_shentsize'),
    u16('e_shnum'),
    u16('e_shstrndx'),
  ]);

/** Elf32_Shdr or Elf64_Shdr: they differ only in the width (`word`) of flags, addresses and sizes. */
const shdr = (name: string, word: typeof u32 | typeof u64) =>
  struct(name, {}, [
    u32('sh_name'),
    u32('sh_type'),
    word('sh_flags'),
    word('sh_addr'),
    word('sh_offset'),
    word('sh_size'),
    u32('sh_link'),
    u32('sh_info', 'section 0: the real e_phnum when e_phnum is PN_XNUM'),
    word('sh_addralign'),
    word('sh_entsize'),
  ]);

/**
 * Elf64_Ehdr, Elf64_Phdr, Elf64_Shdr, Elf32_Ehdr and Elf32_Shdr as <elf.h> declares them, laid out
 * by the layout engine like every KHO struct; little-endian (readStruct reads a big-endian file).
 */
const layouts = layoutStructs([
  ehdr('elf64_hdr', u64),
  struct('elf64_phdr', {}, [
    u32('p_type'),
    u32('p_flags'),
    u64('p_offset'),
    u64('p_vaddr'),
    u64('p_paddr', 'physical address: what a memory image maps'),
    u64('p_filesz'),
    u64('p_memsz'),
    u64('p_align'),
  ]),
  shdr('elf64_shdr', u64),
  ehdr('elf32_hdr', u32),
  shdr('elf32_shdr', u32),
]);

/** Elf64_Ehdr (64 bytes). */
export const elf64Ehdr = layouts.get('elf64_hdr')!;
/** Elf64_Phdr (56 bytes). */
export const elf64Phdr = layouts.get('elf64_phdr')!;
/** Elf64_Shdr (64 bytes). */
export const elf64Shdr = layouts.get('elf64_shdr')!;
/** Elf32_Ehdr (52 bytes). */
export const elf32Ehdr = layouts.get('elf32_hdr')!;
/** Elf32_Shdr (40 bytes). */
export const elf32Shdr = layouts.get('elf32_shdr')!;

/** The first bytes of an ELF file. */
export const ELF_MAGIC = Uint8Array.of(0x7f, 0x45, 0x4c, 0x46);
/** e_ident[EI_CLASS], e_ident[EI_DATA], e_ident[EI_VERSION]: where they sit and the values of a little-endian ELF64 file. */
export const EI_CLASS = 4;
export const EI_DATA = 5;
export const EI_VERSION = 6;
export const ELFCLASS64 = 2;
export const ELFDATA2LSB = 1;
export const EV_CURRENT = 1;
export const ET_CORE = 4;
export const EM_X86_64 = 62;
export const PT_LOAD = 1;
export const PT_NOTE = 4;
export const PF_W = 2;
export const PF_R = 4;
/** e_phnum's escape value: the count is in section header 0's sh_info. */
export const PN_XNUM = 0xffff;
