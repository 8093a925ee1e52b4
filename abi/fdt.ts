import { defineContainer, struct, u32 } from '../src/schema/define.js';

const be32 = (name: string, doc: string) => ({ ...u32(name, doc), type: '__be32' }) as const;
const be64 = (name: string, doc: string) => ({ name, type: '__be64', doc }) as const;

/** scripts/dtc/libfdt/fdt.h: the flattened device tree blob every KHO and LUO tree is written as (big-endian). */
export default defineContainer({
  id: 'fdt',
  header: 'scripts/dtc/libfdt/fdt.h',
  summary: 'Flattened device tree v17: fdt_header, the memory reserve map, then the structure block (FDT_BEGIN_NODE 1, FDT_END_NODE 2, FDT_PROP 3, FDT_NOP 4, FDT_END 9) and the strings block; magic 0xd00dfeed',
  provenance: [{ repo: 'torvalds/linux', commit: '43cbf02e7ad51007af38f39c5b2abdc7a5d7f5aa', note: 'scripts/dtc/libfdt/fdt.h; KHO writes its trees with this libfdt' }],
  structs: [
    struct('fdt_header', {}, [
      be32('magic', 'FDT_MAGIC 0xd00dfeed'),
      be32('totalsize', 'total size of the blob'),
      be32('off_dt_struct', 'offset of the structure block'),
      be32('off_dt_strings', 'offset of the strings block'),
      be32('off_mem_rsvmap', 'offset of the memory reserve map'),
      be32('version', 'format version (17)'),
      be32('last_comp_version', 'last compatible version (16)'),
      be32('boot_cpuid_phys', 'physical CPU id booting (version 2)'),
      be32('size_dt_strings', 'size of the strings block (version 3)'),
      be32('size_dt_struct', 'size of the structure block (version 17)'),
    ]),
    struct('fdt_reserve_entry', {}, [be64('address', 'start of a reserved range'), be64('size', 'its size; 0 ends the map')]),
    struct('fdt_node_header', {}, [be32('tag', 'FDT_BEGIN_NODE'), { name: 'name', type: 'char', flexible: true, doc: 'unit name, NUL-terminated, padded to 4 bytes' }]),
    struct('fdt_property', {}, [
      be32('tag', 'FDT_PROP'),
      be32('len', 'bytes of data'),
      be32('nameoff', 'offset of the property name in the strings block'),
      { name: 'data', type: 'char', flexible: true, doc: 'the value, padded to 4 bytes' },
    ]),
  ],
});
