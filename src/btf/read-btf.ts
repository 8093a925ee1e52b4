import { Btf } from './btf.js';
import { BtfError } from './btf-error.js';
import { MAX_BTF_SIZE } from './btf-kinds.js';
import { bytesSource, type ByteSource } from './byte-source.js';
import { isElf } from '../memory/elf-core.js';
import { findBtfSection } from './elf-btf-section.js';

/** Options of readBtf: the base of a split BTF, and how to name the input in errors. */
export interface ReadBtfOptions {
  readonly base?: Btf;
  readonly file?: string;
}

/**
 * Read BTF from a source: raw BTF (`/sys/kernel/btf/vmlinux`, a module's split BTF over
 * `base`), or the `.BTF` section of an ELF32/ELF64 file of either byte order (vmlinux, a
 * `.ko`, an object built with `gcc -gbtf` or `pahole -J`). Only the parts needed are read.
 */
export function readBtfSource(src: ByteSource, opts: ReadBtfOptions = {}): Btf {
  const file = opts.file ?? 'BTF';
  const base = opts.base ? { base: opts.base } : {};
  if (!isElf(src.read(0, 4))) {
    if (src.size > MAX_BTF_SIZE) throw new BtfError(`${file}: ${src.size} bytes, neither an ELF file nor BTF of at most ${MAX_BTF_SIZE >> 20} MiB`);
    return new Btf(src.read(0, src.size), { ...base, file });
  }
  const section = findBtfSection(src, file);
  if (!section) throw new BtfError(`${file}: an ELF file without a .BTF section (build with gcc -gbtf, or add one with pahole -J)`);
  const bytes = src.read(section.offset, section.size);
  return new Btf(bytes, { ...base, file, pointerSize: section.pointerSize, machine: section.machine });
}

/** Read BTF from bytes in memory: raw BTF, or an ELF file with a `.BTF` section. */
export function readBtf(bytes: Uint8Array, opts: ReadBtfOptions = {}): Btf {
  return readBtfSource(bytesSource(bytes), opts);
}
