import { UsageError } from '../errors.js';
import { readStruct } from '../layout/field-io.js';
import { EI_CLASS, EI_DATA, ELF_MAGIC, ELFCLASS64, ELFDATA2LSB, ET_CORE, PN_XNUM, PT_LOAD, PT_NOTE, elf64Ehdr, elf64Phdr, elf64Shdr } from './elf-headers.js';

/** One PT_LOAD segment of an ELF64 core: physical bytes [paddr, paddr+filesz) at file offset `offset`. */
export interface LoadSegment {
  readonly paddr: bigint;
  readonly filesz: bigint;
  readonly offset: bigint;
}

/** What an ELF64 core file holds for us: its machine and its PT_LOAD segments, in file order. */
export interface ElfCore {
  readonly machine: number;
  readonly loads: readonly LoadSegment[];
  /** Number of PT_NOTE segments (kept for describing the image). */
  readonly notes: number;
}


/** Names of the e_machine values a little-endian ELF64 core comes with (QEMU writes EM_386 while an x86 vCPU is not in long mode). */
export const ELF_MACHINES: Readonly<Record<number, string>> = { 3: 'EM_386 (i386)', 40: 'EM_ARM (arm)', 62: 'EM_X86_64 (x86-64)', 183: 'EM_AARCH64 (aarch64)', 243: 'EM_RISCV (riscv)' };

/** What messages call an e_machine value. */
export function machineName(machine: number): string {
  return ELF_MACHINES[machine] ?? `e_machine ${machine}`;
}

/** Read `length` bytes at a file offset; fewer at the end of the file. */
export type ReadAt = (offset: number, length: number) => Uint8Array;

/** Whether bytes start with the ELF magic. */
export function isElf(head: Uint8Array): boolean {
  return head.length >= 4 && ELF_MAGIC.every((b, i) => head[i] === b);
}

/**
 * Parse the ELF64 header and program headers of a core file of any machine (only the
 * p_paddr ranges matter; little-endian only). Anything else is a UsageError naming what
 * the file is instead.
 */
export function parseElfCore(readAt: ReadAt, fileSize: number, name: string): ElfCore {
  const eh = readAt(0, elf64Ehdr.size);
  if (!isElf(eh)) throw new UsageError(`${name}: not an ELF core, a kdump file or a flattened kdump stream (give a raw physical dump as FILE@0xBASE)`);
  if (eh.length < elf64Ehdr.size) throw new UsageError(`${name}: ELF header truncated`);
  if (eh[EI_CLASS] !== ELFCLASS64) throw new UsageError(`${name}: a 32-bit ELF file; only ELF64 cores are supported`);
  if (eh[EI_DATA] !== ELFDATA2LSB) throw new UsageError(`${name}: a big-endian ELF file; only little-endian cores are supported`);
  const h = readStruct(eh, 0, elf64Ehdr);
  const type = Number(h.e_type);
  const machine = Number(h.e_machine);
  if (type !== ET_CORE) throw new UsageError(`${name}: ELF type ${type} is not ET_CORE (4); give a core file (QEMU dump-guest-memory, /proc/vmcore)`);
  const phoff = Number(h.e_phoff);
  const phentsize = Number(h.e_phentsize);
  let phnum = Number(h.e_phnum);
  if (phentsize !== elf64Phdr.size) throw new UsageError(`${name}: e_phentsize ${phentsize}, ELF64 program headers are ${elf64Phdr.size} bytes`);
  if (phnum === PN_XNUM) phnum = extendedPhnum(readAt, Number(h.e_shoff), name);
  if (phoff + phnum * elf64Phdr.size > fileSize) throw new UsageError(`${name}: program headers end past the end of the file`);
  const ph = readAt(phoff, phnum * elf64Phdr.size);
  const loads: LoadSegment[] = [];
  let notes = 0;
  for (let i = 0; i < phnum; i++) {
    const p = readStruct(ph, i * elf64Phdr.size, elf64Phdr);
    if (p.p_type === PT_NOTE) notes++;
    if (p.p_type !== PT_LOAD) continue;
    const offset = BigInt(p.p_offset!);
    const paddr = BigInt(p.p_paddr!);
    const filesz = BigInt(p.p_filesz!);
    if (filesz === 0n) continue;
    if (offset + filesz > BigInt(fileSize)) {
      throw new UsageError(`${name}: PT_LOAD ${i} (paddr 0x${paddr.toString(16)}) ends at file offset 0x${(offset + filesz).toString(16)}, past the end of the ${fileSize}-byte file`);
    }
    loads.push({ paddr, filesz, offset });
  }
  return { machine, loads, notes };
}

/** With e_phnum == PN_XNUM the real count is sh_info of section header 0. */
function extendedPhnum(readAt: ReadAt, shoff: number, name: string): number {
  const sh = readAt(shoff, elf64Shdr.size);
  if (shoff === 0 || sh.length < elf64Shdr.size) throw new UsageError(`${name}: e_phnum is PN_XNUM but there is no section header 0`);
  return Number(readStruct(sh, 0, elf64Shdr).sh_info);
}
