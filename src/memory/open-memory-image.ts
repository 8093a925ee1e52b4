import { closeSync, existsSync, fstatSync, openSync } from 'node:fs';
import { UsageError } from '../errors.js';
import { describeFsError } from '../io/read-input.js';
import { isElf, machineName, parseElfCore } from './elf-core.js';
import { FlattenedFile, isFlattened } from './kdump/flattened-stream.js';
import { isKdump, KdumpFile } from './kdump/kdump-file.js';
import { MemoryImage, type ImageDescription, type LiveRegion, type MemoryRegion } from './memory-image.js';
import { PageCache, type ImageFile } from './page-cache.js';
import { parsePhysAddress } from './phys-address.js';

/** One `--memory` argument: an image file recognised by its magic, or a raw physical dump starting at `base`. */
export interface MemorySpec {
  readonly path: string;
  /** Physical address of the first byte of a raw dump; absent for an ELF core. */
  readonly base?: bigint;
}

/** Parse `FILE` or `FILE@0xBASE` (the last `@` followed by a number splits). */
export function parseMemorySpec(text: string): MemorySpec {
  if (text === '') throw new UsageError('--memory needs a file (ELF core, kdump) or FILE@0xBASE (raw dump)');
  const at = text.lastIndexOf('@');
  // A file whose name holds an @ (`a@b.core`) is still a file; otherwise what follows the last @ is the base.
  if (at < 0 || existsSync(text) || /[./]/.test(text.slice(at + 1))) return { path: text };
  return { path: text.slice(0, at), base: parsePhysAddress(text.slice(at + 1), `--memory ${text}: the base after @`) };
}

/**
 * Open memory images, each recognised by its magic: ELF64 cores (any e_machine) map each
 * PT_LOAD's p_paddr..p_paddr+p_filesz; kdump-compressed files, plain or as makedumpfile's
 * flattened stream, map the pages their bitmap marks dumped; raw dumps map BASE..BASE+size.
 * Physical ranges that two images (or two segments) both claim with different bytes are
 * a UsageError.
 */
export function openMemoryImage(specs: ReadonlyArray<MemorySpec | string>): MemoryImage {
  const fds: number[] = [];
  const regions: LiveRegion[] = [];
  const images: ImageDescription[] = [];
  try {
    for (const s of specs) {
      const spec = typeof s === 'string' ? parseMemorySpec(s) : s;
      const fd = openImage(spec.path);
      fds.push(fd);
      const size = fstatSync(fd).size;
      const mapped = mapImage(spec, new PageCache(fd, size));
      for (const r of mapped.regions) regions.push(r);
      images.push(mapped.image);
    }
    return new MemoryImage(dropDuplicates(regions), fds, images);
  } catch (e) {
    for (const fd of fds) closeSync(fd);
    throw e;
  }
}

/** The physical ranges one image file maps, and what the file is, told by its magic. */
function mapImage(spec: MemorySpec, cache: PageCache): { regions: LiveRegion[]; image: ImageDescription } {
  const file = spec.path;
  const readAt = (offset: number, length: number) => {
    const out = new Uint8Array(Math.max(0, Math.min(length, cache.size - offset)));
    cache.readInto(offset, out);
    return out;
  };
  const head = readAt(0, 16);
  const format = isElf(head) ? 'an ELF file' : isKdump(head) ? 'a kdump file' : isFlattened(head) ? 'a flattened kdump stream' : undefined;
  if (spec.base !== undefined) {
    if (format) throw new UsageError(`${file}: is ${format}; give it as --memory ${file} (without @BASE)`);
    const regions = cache.size > 0 ? [{ start: spec.base, end: spec.base + BigInt(cache.size), file, fileOffset: 0, source: cache }] : [];
    return { regions, image: { file, format: 'raw' } };
  }
  if (isKdump(head) || isFlattened(head)) {
    const flat = isFlattened(head);
    const kdump = openKdump(flat ? new FlattenedFile(cache, file) : cache, file);
    const { machine, blockSize, headerVersion, dumpable } = kdump.header;
    return {
      regions: [{ start: 0n, end: BigInt(kdump.end), file, fileOffset: 0, source: kdump }],
      image: { file, format: flat ? 'kdump-flattened' : 'kdump', machine, blockSize, detail: `header version ${headerVersion}, ${dumpable} pages dumped` },
    };
  }
  const core = parseElfCore(readAt, cache.size, file);
  return {
    regions: core.loads.map((l) => ({ start: l.paddr, end: l.paddr + l.filesz, file, fileOffset: Number(l.offset), source: cache })),
    image: { file, format: 'elf', machine: machineName(core.machine), detail: `${core.loads.length} PT_LOAD` },
  };
}

/** The kdump file inside a plain file or a flattened stream. */
function openKdump(file: ImageFile, name: string): KdumpFile {
  const head = new Uint8Array(Math.min(8, file.size));
  file.readInto(0, head);
  if (!isKdump(head)) throw new UsageError(`${name}: the flattened stream does not hold a kdump file (no "KDUMP   " signature at its offset 0)`);
  return new KdumpFile(file, name);
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
