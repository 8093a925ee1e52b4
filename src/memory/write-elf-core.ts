import { UsageError } from '../errors.js';

/** Physical bytes to place in an image. */
export interface PhysicalChunk {
  readonly pa: bigint;
  readonly bytes: Uint8Array;
}

const EHDR_SIZE = 64;
const PHDR_SIZE = 56;
const EM_X86_64 = 62;
const DATA_ALIGN = 4096;

/**
 * An ELF64 core file (ET_CORE, x86-64, little-endian) with one PT_LOAD per run of
 * contiguous chunks: p_paddr = p_vaddr = the run's physical address. Overlapping chunks
 * are a UsageError.
 */
export function elfCoreBytes(chunks: readonly PhysicalChunk[]): Uint8Array {
  const runs = contiguousRuns(chunks);
  const headers = EHDR_SIZE + runs.length * PHDR_SIZE;
  let offset = align(headers);
  const placed = runs.map((r) => {
    const at = offset;
    offset = align(at + r.size);
    return { ...r, offset: at };
  });
  const out = new Uint8Array(placed.length ? placed.at(-1)!.offset + placed.at(-1)!.size : headers);
  const v = new DataView(out.buffer);
  out.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1], 0); // ELFMAG, ELFCLASS64, ELFDATA2LSB, EV_CURRENT
  v.setUint16(16, 4, true); // ET_CORE
  v.setUint16(18, EM_X86_64, true);
  v.setUint32(20, 1, true); // e_version
  v.setBigUint64(32, BigInt(EHDR_SIZE), true); // e_phoff
  v.setUint16(52, EHDR_SIZE, true); // e_ehsize
  v.setUint16(54, PHDR_SIZE, true);
  v.setUint16(56, placed.length, true);
  placed.forEach((r, i) => {
    const at = EHDR_SIZE + i * PHDR_SIZE;
    v.setUint32(at, 1, true); // PT_LOAD
    v.setUint32(at + 4, 6, true); // PF_R | PF_W
    v.setBigUint64(at + 8, BigInt(r.offset), true);
    v.setBigUint64(at + 16, r.pa, true);
    v.setBigUint64(at + 24, r.pa, true);
    v.setBigUint64(at + 32, BigInt(r.size), true);
    v.setBigUint64(at + 40, BigInt(r.size), true);
    v.setBigUint64(at + 48, 0n, true);
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
