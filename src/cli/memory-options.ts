import { Option, type Command } from 'commander';
import type { DecodeOptions } from '../codec/decode.js';
import { UsageError } from '../errors.js';
import type { MemoryImage } from '../memory/memory-image.js';
import { openMemoryImage } from '../memory/open-memory-image.js';
import { parsePhysAddress } from '../memory/phys-address.js';
import { readPciBlob } from '../codec/read-pci-blob.js';
import { getAbi } from '../registry.js';
import { readBlob, type InputFlags } from './options.js';
import { DEFAULT_PAGE_SIZE, PAGE_SIZES } from '../block-chain/page-size.js';

/** The flags withMemoryOptions adds. */
export interface MemoryFlags {
  memory: string[];
  rootPa?: bigint;
  pageSize?: number;
}

/** Parse a physical address flag: 0x hex, or 0. */
export function physAddress(flag: string) {
  return (value: string): bigint => parsePhysAddress(value, flag);
}

function pageSize(value: string): number {
  const n = Number(value);
  if (!(PAGE_SIZES as readonly number[]).includes(n)) throw new UsageError(`--page-size takes ${PAGE_SIZES.slice(0, -1).join(', ')} or ${PAGE_SIZES.at(-1)}, got "${value}"`);
  return n;
}

/** Add `--memory FILE[@0xBASE]` (repeatable) and `--page-size`; with `root`, also `--root-pa`. */
export function withMemoryOptions(cmd: Command, root = true): Command {
  cmd
    .addOption(new Option('--memory <image>', 'memory image: an ELF64 core (FILE) or a raw physical dump (FILE@0xBASE); repeatable').argParser((v: string, prev: string[]) => [...prev, v]).default([]))
    .addOption(new Option('--page-size <bytes>', 'PAGE_SIZE of the kernel that wrote the blocks (default: the block size a kdump image records, else 4096)').argParser(pageSize));
  if (root) cmd.addOption(new Option('--root-pa <addr>', 'read struct pci_ser from the memory image at this physical address (instead of a blob file)').argParser(physAddress('--root-pa')));
  return cmd;
}

/** Open the `--memory` images, or undefined when none was given. */
export function openMemory(flags: Pick<MemoryFlags, 'memory'>): MemoryImage | undefined {
  return flags.memory.length ? openMemoryImage(flags.memory) : undefined;
}

/** The page size blocks are read with: --page-size, else the one the images record (kdump block_size), else 4096. */
export function pageSizeOf(flags: Pick<MemoryFlags, 'pageSize'>, memory: MemoryImage | undefined): number {
  return flags.pageSize ?? memory?.recordedPageSize ?? 4096;
}

/** A blob read from a file or from memory, with the decode options that go with it. */
export interface LoadedBlob {
  readonly bytes: Uint8Array;
  /** What to call it in messages: the file, or `IMAGE@0xADDR`. */
  readonly name: string;
  readonly options: DecodeOptions;
}

/**
 * The root blob of a command: the blob file, or (with --root-pa) the bytes at that
 * physical address of the memory images, as far as `abi` reads them; exactly one of the two.
 */
export async function loadBlob(blob: string | undefined, abi: string, flags: InputFlags & MemoryFlags, memory: MemoryImage | undefined): Promise<LoadedBlob> {
  const pageSize = pageSizeOf(flags, memory);
  const options: DecodeOptions = memory ? { memory, pageSize } : { pageSize };
  if (flags.rootPa === undefined) {
    if (blob === undefined) throw new UsageError('give a blob file, or --memory IMAGE --root-pa ADDR');
    return { bytes: await readBlob(blob, flags, abi), name: blob, options };
  }
  if (blob !== undefined) throw new UsageError(`--root-pa reads the root from memory: drop the blob argument "${blob}"`);
  if (!memory) throw new UsageError('--root-pa needs --memory IMAGE');
  const bytes = readPciBlob(memory, flags.rootPa, getAbi(abi));
  const where = `0x${flags.rootPa.toString(16)}`;
  if (!bytes) throw new UsageError(`struct pci_ser at ${where} is not in the memory images`);
  return { bytes, name: memoryBlobName(flags.memory, flags.rootPa), options: { ...options, rootAddress: flags.rootPa } };
}

/** What messages call a pci_ser read from memory: `IMAGE[pci_ser@0xADDR]` (a raw dump keeps its own `@BASE`). */
export function memoryBlobName(images: readonly string[], rootPa: bigint): string {
  return `${images.join(',')}[pci_ser@0x${rootPa.toString(16)}]`;
}
