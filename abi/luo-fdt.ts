import { defineContainer, fdtProperty } from '../src/schema/define.js';

/** include/linux/kho/abi/luo.h, FDT forms: KHO entry "LUO" is a tree "luo-v1", FLBs under node luo-flb. */
export default defineContainer({
  id: 'luo-fdt',
  compatible: 'luo-v1',
  header: 'include/linux/kho/abi/luo.h',
  summary: 'LUO FDT "luo-v1": liveupdate-number, node luo-session; from the FLB series also node luo-flb (compatible "luo-flb-v1") whose luo-flb-header is the PA of the FLB table',
  provenance: [
    { repo: 'torvalds/linux', commit: '0153094d03df5a2e834a19c59b255649a258ae46', note: 'luo-v1 with luo-session-v1, no FLB node' },
    { repo: 'torvalds/linux', commit: 'cc4adab164b772a34b3340d644b7c4728498581e', note: 'luo-session-v2, no FLB node' },
    { repo: 'ColinIanKing/linux-next', commit: '6ab3af586e5d4b1f4b28e453662dc16eb17e5a9f', note: 'node luo-flb, compatible luo-flb-v1, property luo-flb-header' },
    { repo: 'torvalds/linux', commit: 'cab056f2aae7250af50e503b81a80dfc567a1acd', note: 'kernel/liveupdate/luo_flb.c writes it' },
  ],
  fdt: [
    fdtProperty('', 'compatible', 'string', '"luo-v1"'),
    fdtProperty('', 'liveupdate-number', 'u64', 'how many live updates this kernel line has done'),
    fdtProperty('luo-flb', 'compatible', 'string', '"luo-flb-v1"'),
    fdtProperty('luo-flb', 'luo-flb-header', 'u64', 'PA of the FLB table (struct luo_flb_header_ser)'),
  ],
  structs: [],
});
