import { chars, struct, u32, u64 } from '../../schema/define.js';
import type { FieldDef } from '../../schema/types.js';
import { readInt } from '../../layout/field-io.js';
import { layoutStructs, type StructLayout } from '../../layout/engine.js';

const s32 = (name: string) => ({ name, type: 's32' }) as const satisfies FieldDef;
const s64 = (name: string) => ({ name, type: 's64' }) as const satisfies FieldDef;
const be64 = (name: string) => ({ name, type: '__be64' }) as const satisfies FieldDef;

/**
 * The on-disk structs of a kdump-compressed file (makedumpfile's diskdump_mod.h, the same
 * bytes QEMU's dump.h writes as DiskDumpHeader64/KdumpSubHeader64) and of makedumpfile's
 * flattened stream (makedumpfile.h), as an LP64 kernel lays them out.
 */
const layouts = layoutStructs([
  struct('new_utsname', {}, ['sysname', 'nodename', 'release', 'version', 'machine', 'domainname'].map((n) => chars(n, 65))),
  struct('timeval', {}, [s64('tv_sec'), s64('tv_usec')]),
  struct('disk_dump_header', {}, [
    chars('signature', 8, '"KDUMP   "'),
    s32('header_version'),
    { name: 'utsname', type: 'struct new_utsname' },
    { name: 'timestamp', type: 'struct timeval' },
    u32('status'),
    s32('block_size'),
    s32('sub_hdr_size'),
    u32('bitmap_blocks'),
    u32('max_mapnr'),
    u32('total_ram_blocks'),
    u32('device_blocks'),
    u32('written_blocks'),
    u32('current_cpu'),
    s32('nr_cpus'),
  ]),
  struct('kdump_sub_header', {}, [
    u64('phys_base'),
    s32('dump_level'),
    s32('split'),
    u64('start_pfn'),
    u64('end_pfn'),
    s64('offset_vmcoreinfo'),
    u64('size_vmcoreinfo'),
    s64('offset_note'),
    u64('size_note'),
    s64('offset_eraseinfo'),
    u64('size_eraseinfo'),
    u64('start_pfn_64', 'header_version 6 and later'),
    u64('end_pfn_64', 'header_version 6 and later'),
    u64('max_mapnr_64', 'header_version 6 and later'),
  ]),
  struct('page_desc', {}, [s64('offset'), u32('size'), u32('flags'), u64('page_flags')]),
  struct('makedumpfile_header', {}, [chars('signature', 16, '"makedumpfile"'), be64('type'), be64('version')]),
  struct('makedumpfile_data_header', {}, [be64('offset'), be64('buf_size')]),
]);

/** The layout of one of the structs above. */
export function kdumpStruct(name: 'new_utsname' | 'disk_dump_header' | 'kdump_sub_header' | 'page_desc' | 'makedumpfile_header' | 'makedumpfile_data_header'): StructLayout {
  return layouts.get(name)!;
}

/** The fields of a struct read from its bytes by name: integers as bigint (read as signed where the C type is), char arrays as strings up to their NUL. */
export function structReader(layout: StructLayout, bytes: Uint8Array): { int(name: string): bigint; text(name: string): string } {
  const field = (name: string) => {
    const f = layout.fields.find((x) => x.name === name);
    if (!f) throw new Error(`struct ${layout.name} has no field ${name}`);
    return f;
  };
  return {
    int: (name) => BigInt(readInt(bytes, field(name).offset, field(name))),
    text(name) {
      const f = field(name);
      const raw = bytes.subarray(f.offset, f.offset + f.size);
      const end = raw.indexOf(0);
      return Buffer.from(end < 0 ? raw : raw.subarray(0, end)).toString('latin1');
    },
  };
}
