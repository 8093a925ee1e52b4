import { closeSync, existsSync, fstatSync, openSync } from 'node:fs';
import { UsageError } from '../errors.js';
import { describeFsError } from '../io/read-input.js';
import { isElf, parseElfCore } from './elf-core.js';
import { MemoryImage, type LiveRegion, type MemoryRegion } from './memory-image.js';
import { PageCache } from './page-cache.js';
import { parsePhysAddress } from './phys-address.js';

/** One `--memory` argument: an ELF64 core file, or a raw physical dump starting at `base`. */
export interface MemorySpec {
  readonly path: string;
  /** Physical address of the first byte of a raw dump; absent for an ELF core. */
  readonly base?: bigint;
}

/** Parse `FILE` or `FILE@0xBASE` (the last `@` followed by a number splits). */
export function parseMemorySpec(text: string): MemorySpec {
  if (text === '') throw new UsageError('--memory needs a file (ELF core) or FILE@0xBASE (raw dump)');
  const at = text.lastIndexOf('@');
  // A file whose name holds an @ (`a@b.core`) is still a file; otherwise what follows the last @ is the base.
  if (at < 0 || existsSync(text) || /[./]/.test(text.slice(at + 1))) return { path: text };
  return { path: text.slice(0, at), base: parsePhysAddress(text.slice(at + 1), `--memory ${text}: the base after @`) };
}

/**
 * Open memory images: ELF64 cores map each PT_LOAD's p_paddr..p_paddr+p_filesz,
 * raw dumps map BASE..BASE+size. Physical ranges that two images (or two segments)
 * both claim with different bytes are a UsageError.
 */
export function openMemoryImage(specs: ReadonlyArray<MemorySpec | string>): MemoryImage {
  const fds: number[] = [];
  const regions: LiveRegion[] = [];
  try {
    for (const s of specs) {
      const spec = typeof s === 'string' ? parseMemorySpec(s) : s;
      const fd = openImage(spec.path);
      fds.push(fd);
      const size = fstatSync(fd).size;
      const cache = new PageCache(fd, size);
      const readAt = (offset: number, length: number) => {
        const out = new Uint8Array(Math.max(0, Math.min(length, size - offset)));
        cache.readInto(offset, out);
        return out;
      };
      if (spec.base !== undefined) {
        if (isElf(readAt(0, 4))) throw new UsageError(`${spec.path}: is an ELF file; give it as --memory ${spec.path} (without @BASE)`);
        if (size > 0) regions.push({ start: spec.base, end: spec.base + BigInt(size), file: spec.path, fileOffset: 0, source: cache });
        continue;
      }
      const core = parseElfCore(readAt, size, spec.path);
      for (const l of core.loads) {
        regions.push({ start: l.paddr, end: l.paddr + l.filesz, file: spec.path, fileOffset: Number(l.offset), source: cache });
      }
    }
    return new MemoryImage(dropDuplicates(regions), fds);
  } catch (e) {
    for (const fd of fds) closeSync(fd);
    throw e;
  }
}

function openImage(path: string): number {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new UsageError(describeFsError(e, path));
  }
  if (fstatSync(fd).isDirectory()) {
    closeSync(fd);
    throw new UsageError(`${path}: is a directory, not a memory image`);
  }
  return fd;
}

/** Sort regions; a region that repeats another (same file, same bytes) is dropped, any other overlap refused. */
function dropDuplicates<R extends MemoryRegion>(regions: R[]): R[] {
  const sorted = [...regions].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const out: R[] = [];
  for (const r of sorted) {
    const prev = out.at(-1);
    if (prev && r.start < prev.end) {
      const same = prev.file === r.file && BigInt(prev.fileOffset) - prev.start === BigInt(r.fileOffset) - r.start && r.end <= prev.end;
      if (same) continue;
      throw new UsageError(
        `physical memory 0x${r.start.toString(16)}..0x${(r.end < prev.end ? r.end : prev.end).toString(16)} ` +
          `is in both ${describe(prev)} and ${describe(r)}; give each address once`,
      );
    }
    out.push(r);
  }
  return out;
}

function describe(r: MemoryRegion): string {
  return `${r.file} (0x${r.start.toString(16)}..0x${r.end.toString(16)})`;
}
