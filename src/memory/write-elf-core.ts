import { UsageError } from '../errors.js';
import { writeStruct } from '../layout/field-io.js';
import { EI_CLASS, EI_DATA, EI_VERSION, ELF_MAGIC, ELFCLASS64, ELFDATA2LSB, EM_X86_64, ET_CORE, EV_CURRENT, PF_R, PF_W, PT_LOAD, elf64Ehdr, elf64Phdr } from './elf-headers.js';

/** Physical bytes to place in an image. */
export interface PhysicalChunk {
  readonly pa: bigint;
  readonly bytes: Uint8Array;
}

/** File offset alignment of segment data: a page, so that tools can map the segments. */
const DATA_ALIGN = 4096;

/** One PT_LOAD to write: physical bytes [paddr, paddr + size) at file offset `offset`. */
export interface LoadHeader {
  readonly paddr: bigint;
  readonly offset: number;
  readonly size: number;
}

/** The ELF64 header and one PT_LOAD program header per load (ET_CORE, x86-64, little-endian) at the start of `out`. */
export function writeElfCoreHeaders(out: Uint8Array, loads: readonly LoadHeader[]): void {
  out.set(ELF_MAGIC, 0);
  out[EI_CLASS] = ELFCLASS64;
  out[EI_DATA] = ELFDATA2LSB;
  out[EI_VERSION] = EV_CURRENT;
  writeStruct(out, 0, elf64Ehdr, {
    e_type: ET_CORE,
    e_machine: EM_X86_64,
    e_version: EV_CURRENT,
    e_phoff: elf64Ehdr.size,
    e_ehsize: elf64Ehdr.size,
    e_phentsize: elf64Phdr.size,
    e_phnum: loads.length,
  });
  loads.forEach((l, i) =>
    writeStruct(out, elf64Ehdr.size + i * elf64Phdr.size, elf64Phdr, {
      p_type: PT_LOAD,
      p_flags: PF_R | PF_W,
      p_offset: l.offset,
      p_vaddr: l.paddr,
      p_paddr: l.paddr,
      p_filesz: l.size,
      p_memsz: l.size,
    }),
  );
}

/** Bytes before the first segment's data: the headers of `loads` program headers, page aligned. */
export function elfCoreDataStart(loads: number): number {
  return align(elf64Ehdr.size + loads * elf64Phdr.size);
}

/**
 * An ELF64 core file (ET_CORE, x86-64, little-endian) with one PT_LOAD per run of
 * contiguous chunks: p_paddr = p_vaddr = the run's physical address. Overlapping chunks
 * are a UsageError.
 */
export function elfCoreBytes(chunks: readonly PhysicalChunk[]): Uint8Array {
  const runs = contiguousRuns(chunks);
  let offset = elfCoreDataStart(runs.length);
  const placed = runs.map((r) => {
    const at = offset;
    offset = align(at + r.size);
    return { ...r, offset: at };
  });
  const out = new Uint8Array(placed.length ? placed.at(-1)!.offset + placed.at(-1)!.size : elf64Ehdr.size);
  writeElfCoreHeaders(out, placed.map((r) => ({ paddr: r.pa, offset: r.offset, size: r.size })));
  placed.forEach((r) => {
    let o = r.offset;
    for (const c of r.chunks) {
      out.set(c.bytes, o);
      o += c.bytes.length;
    }
  });
  return out;
}

interface Run {
  readonly pa: bigint;
  readonly size: number;
  readonly chunks: readonly PhysicalChunk[];
}

function contiguousRuns(chunks: readonly PhysicalChunk[]): Run[] {
  const sorted = chunks.filter((c) => c.bytes.length).sort((a, b) => (a.pa < b.pa ? -1 : a.pa > b.pa ? 1 : 0));
  const runs: Array<{ pa: bigint; size: number; chunks: PhysicalChunk[] }> = [];
  for (const c of sorted) {
    const last = runs.at(-1);
    const end = last ? last.pa + BigInt(last.size) : 0n;
    if (last && c.pa < end) throw new UsageError(`physical memory at 0x${c.pa.toString(16)} is placed twice (a block overlaps the root or another block)`);
    if (last && c.pa === end) {
      last.chunks.push(c);
      last.size += c.bytes.length;
    } else runs.push({ pa: c.pa, size: c.bytes.length, chunks: [c] });
  }
  return runs;
}

function align(n: number): number {
  return Math.ceil(n / DATA_ALIGN) * DATA_ALIGN;
}
