import { containerStruct } from '../registry.js';

const header = containerStruct('fdt', 'fdt_header');
const at = (name: string) => header.fields.find((f) => f.name === name)!.offset;

/** FDT_MAGIC. */
export const FDT_MAGIC = 0xd00dfeed;
/** sizeof(struct fdt_header) of a version 17 tree; version 16 ends before size_dt_struct. */
export const FDT_V17_SIZE = header.size;
const FDT_V16_SIZE = at('size_dt_struct');
/** The oldest and newest versions read: 16 (no size_dt_struct) and 17, as libfdt. */
const FIRST_VERSION = 16;
const LAST_COMP_VERSION = 17;
/** The largest tree read: KHO and LUO trees are one page, a boot DTB is at most about 1 MiB. */
export const FDT_MAX_SIZE = 2 << 20;

/** struct fdt_header, host-order numbers. */
export interface FdtHeader {
  readonly magic: number;
  readonly totalsize: number;
  readonly off_dt_struct: number;
  readonly off_dt_strings: number;
  readonly off_mem_rsvmap: number;
  readonly version: number;
  readonly last_comp_version: number;
  readonly boot_cpuid_phys: number;
  readonly size_dt_strings: number;
  /** Version 16 trees have none: the structure block then runs to the end of the tree. */
  readonly size_dt_struct: number;
}

/** A malformed tree: what is wrong and at which byte of the tree. */
export interface FdtProblem {
  readonly offset: number;
  readonly message: string;
}

/** Whether the bytes start with FDT_MAGIC. */
export function hasFdtMagic(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0) === FDT_MAGIC;
}

/** Read struct fdt_header (the first FDT_V17_SIZE bytes, big-endian). */
export function readFdtHeader(bytes: Uint8Array): FdtHeader {
  const v = new DataView(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, FDT_V17_SIZE));
  const u32 = (name: string) => (at(name) + 4 <= v.byteLength ? v.getUint32(at(name)) : 0);
  const version = u32('version');
  return {
    magic: u32('magic'),
    totalsize: u32('totalsize'),
    off_dt_struct: u32('off_dt_struct'),
    off_dt_strings: u32('off_dt_strings'),
    off_mem_rsvmap: u32('off_mem_rsvmap'),
    version,
    last_comp_version: u32('last_comp_version'),
    boot_cpuid_phys: u32('boot_cpuid_phys'),
    size_dt_strings: u32('size_dt_strings'),
    size_dt_struct: version >= 17 ? u32('size_dt_struct') : Math.max(0, u32('totalsize') - u32('off_dt_struct')),
  };
}

/**
 * libfdt's fdt_check_header: magic, versions, totalsize, and every block inside the tree
 * and aligned. `available` is how many bytes can be read from the tree's start.
 */
export function checkFdtHeader(h: FdtHeader, available: number): FdtProblem | null {
  const bad = (field: string, message: string): FdtProblem => ({ offset: at(field), message });
  if (h.magic !== FDT_MAGIC) return bad('magic', `magic 0x${h.magic.toString(16)} is not FDT_MAGIC 0x${FDT_MAGIC.toString(16)}`);
  if (h.version < FIRST_VERSION) return bad('version', `version ${h.version}: only versions ${FIRST_VERSION} and ${LAST_COMP_VERSION} are read`);
  if (h.last_comp_version > LAST_COMP_VERSION || h.last_comp_version > h.version) {
    return bad('last_comp_version', `last_comp_version ${h.last_comp_version} with version ${h.version}: a reader of version ${LAST_COMP_VERSION} cannot read it`);
  }
  const hdrsize = h.version >= 17 ? FDT_V17_SIZE : FDT_V16_SIZE;
  if (h.totalsize < hdrsize) return bad('totalsize', `totalsize ${h.totalsize} is smaller than the ${hdrsize}-byte header`);
  if (h.totalsize > FDT_MAX_SIZE) return bad('totalsize', `totalsize ${h.totalsize} is above the ${FDT_MAX_SIZE}-byte limit for a KHO tree or boot DTB`);
  if (h.totalsize > available) return bad('totalsize', `totalsize ${h.totalsize} runs past the memory that holds the tree (${available} bytes from its start)`);
  const block = (offField: string, off: number, size: number, align: number, name: string): FdtProblem | null => {
    if (off < hdrsize) return bad(offField, `${name} at offset ${off} overlaps the ${hdrsize}-byte header`);
    if (off % align) return bad(offField, `${name} at offset ${off} is not ${align}-byte aligned`);
    if (off + size > h.totalsize) return bad(offField, `${name} ${off}..${off + size} runs past totalsize ${h.totalsize}`);
    return null;
  };
  return (
    block('off_mem_rsvmap', h.off_mem_rsvmap, 16, 8, 'the memory reserve map') ??
    block('off_dt_struct', h.off_dt_struct, h.size_dt_struct, 4, 'the structure block') ??
    block('off_dt_strings', h.off_dt_strings, h.size_dt_strings, 1, 'the strings block')
  );
}
