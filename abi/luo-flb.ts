import { chars, defineContainer, struct, u64, phys } from '../src/schema/define.js';

/** include/linux/kho/abi/luo.h: the LUO File-Lifecycle-Bound table that leads to the PCI blob. */
export default defineContainer({
  id: 'luo-flb',
  compatible: 'luo-flb-v1',
  header: 'include/linux/kho/abi/luo.h',
  summary: 'LUO FLB table: one page, luo_flb_header_ser then count luo_flb_ser entries (63 with 4 KiB pages)',
  provenance: [
    { repo: 'torvalds/linux', commit: 'cab056f2aae7250af50e503b81a80dfc567a1acd', note: 'luo_flb.c' },
    { repo: 'linux-mm/linux-mm', commit: 'da1b3b183322d4c2b351c568343d0cdae2278fec', note: 'luo_flb.c; validates pgcnt == 1 and count <= LUO_FLB_MAX' },
  ],
  structs: [
    struct('luo_flb_header_ser', { packed: true }, [
      u64('pgcnt', 'pages of the table (LUO_FLB_PGCNT, always 1)'),
      u64('count', 'number of luo_flb_ser entries that follow'),
    ]),
    struct('luo_flb_ser', { packed: true }, [
      chars('name', 48, 'compat string of the FLB (LIVEUPDATE_FLB_COMPAT_LENGTH), NUL-terminated'),
      phys('data', 'physical address of the FLB object, here struct pci_ser'),
      u64('count', 'number of preserved files that depend on this FLB'),
    ]),
  ],
});
