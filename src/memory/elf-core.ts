import { UsageError } from '../errors.js';

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

/** The first bytes of an ELF file. */
export const ELF_MAGIC = Uint8Array.of(0x7f, 0x45, 0x4c, 0x46);

const ELFCLASS64 = 2;
const ELFDATA2LSB = 1;
const ET_CORE = 4;
const PT_LOAD = 1;
const PT_NOTE = 4;
const PN_XNUM = 0xffff;
const EHDR_SIZE = 64;
const PHDR_SIZE = 56;

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
  const eh = readAt(0, EHDR_SIZE);
  if (!isElf(eh)) throw new UsageError(`${name}: not an ELF core, a kdump file or a flattened kdump stream (give a raw physical dump as FILE@0xBASE)`);
  if (eh.length < EHDR_SIZE) throw new UsageError(`${name}: ELF header truncated`);
  if (eh[4] !== ELFCLASS64) throw new UsageError(`${name}: a 32-bit ELF file; only ELF64 cores are supported`);
  if (eh[5] !== ELFDATA2LSB) throw new UsageError(`${name}: a big-endian ELF file; only little-endian cores are supported`);
  const h = new DataView(eh.buffer, eh.byteOffset, eh.byteLength);
  const type = h.getUint16(16, true);
  const machine = h.getUint16(18, true);
  if (type !== ET_CORE) throw new UsageError(`${name}: ELF type ${type} is not ET_CORE (4); give a core file (QEMU dump-guest-memory, /proc/vmcore)`);
  const phoff = Number(h.getBigUint64(32, true));
  const phentsize = h.getUint16(54, true);
  let phnum = h.getUint16(56, true);
  if (phentsize !== PHDR_SIZE) throw new UsageError(`${name}: e_phentsize ${phentsize}, ELF64 program headers are ${PHDR_SIZE} bytes`);
  if (phnum === PN_XNUM) phnum = extendedPhnum(readAt, h, name);
  if (phoff + phnum * PHDR_SIZE > fileSize) throw new UsageError(`${name}: program headers end past the end of the file`);
  const ph = readAt(phoff, phnum * PHDR_SIZE);
  const v = new DataView(ph.buffer, ph.byteOffset, ph.byteLength);
  const loads: LoadSegment[] = [];
  let notes = 0;
  for (let i = 0; i < phnum; i++) {
    const at = i * PHDR_SIZE;
    const pType = v.getUint32(at, true);
    if (pType === PT_NOTE) notes++;
    if (pType !== PT_LOAD) continue;
    const offset = v.getBigUint64(at + 8, true);
    const paddr = v.getBigUint64(at + 24, true);
    const filesz = v.getBigUint64(at + 32, true);
    if (filesz === 0n) continue;
    if (offset + filesz > BigInt(fileSize)) {
      throw new UsageError(`${name}: PT_LOAD ${i} (paddr 0x${paddr.toString(16)}) ends at file offset 0x${(offset + filesz).toString(16)}, past the end of the ${fileSize}-byte file`);
    }
    loads.push({ paddr, filesz, offset });
  }
  return { machine, loads, notes };
}

/** With e_phnum == PN_XNUM the real count is sh_info of section header 0. */
function extendedPhnum(readAt: ReadAt, h: DataView, name: string): number {
  const shoff = Number(h.getBigUint64(40, true));
  const sh = readAt(shoff, 64);
  if (shoff === 0 || sh.length < 64) throw new UsageError(`${name}: e_phnum is PN_XNUM but there is no section header 0`);
  return new DataView(sh.buffer, sh.byteOffset, 64).getUint32(44, true);
}
