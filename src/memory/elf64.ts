import { layoutStructs } from '../layout/engine.js';
import { struct, u16, u32, u64, u8 } from '../schema/define.js';

/** Elf64_Ehdr, Elf64_Phdr and Elf64_Shdr as <elf.h> declares them, laid out by the layout engine like every KHO struct. */
const layouts = layoutStructs([
  struct('elf64_hdr', {}, [
    u8('e_ident', 'ELFMAG, EI_CLASS, EI_DATA, EI_VERSION, …', { count: 16 }),
    u16('e_type'),
    u16('e_machine'),
    u32('e_version'),
    u64('e_entry'),
    u64('e_phoff'),
    u64('e_shoff'),
    u32('e_flags'),
    u16('e_ehsize'),
    u16('e_phentsize'),
    u16('e_phnum'),
    u16('e_shentsize'),
    u16('e_shnum'),
    u16('e_shstrndx'),
  ]),
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
  struct('elf64_shdr', {}, [
    u32('sh_name'),
    u32('sh_type'),
    u64('sh_flags'),
    u64('sh_addr'),
    u64('sh_offset'),
    u64('sh_size'),
    u32('sh_link'),
    u32('sh_info', 'section 0: the real e_phnum when e_phnum is PN_XNUM'),
    u64('sh_addralign'),
    u64('sh_entsize'),
  ]),
]);

/** Elf64_Ehdr (64 bytes). */
export const elf64Ehdr = layouts.get('elf64_hdr')!;
/** Elf64_Phdr (56 bytes). */
export const elf64Phdr = layouts.get('elf64_phdr')!;
/** Elf64_Shdr (64 bytes). */
export const elf64Shdr = layouts.get('elf64_shdr')!;

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
