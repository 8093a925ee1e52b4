import { defineContainer, fdtProperty, phys, struct, u64 } from '../src/schema/define.js';

/** include/linux/kho/abi/luo.h, tatashin tree: a LUO FDT whose one property points at a 24-byte struct luo_ser. */
export default defineContainer({
  id: 'luo-fdt-abihdr',
  compatible: 'luo-v2',
  alsoCompatible: ['luo-v3'],
  header: 'include/linux/kho/abi/luo.h',
  summary: 'LUO FDT "luo-v2" (its header macro already says "luo-v3") with luo-abi-header = PA of struct luo_ser { liveupdate_num; sessions_pa; flbs_pa }',
  provenance: [
    { repo: 'kernelorg-mirror/linux_kernel_git_tatashin_linux', commit: '58a411cd1417a3638a01b2ccd6a3ebcdebec9e50', note: 'luo.h' },
    { repo: 'kernelorg-mirror/linux_kernel_git_tatashin_linux', commit: 'f0482e8a313ecee9a59dc2e548a369c075600ebd', note: 'kernel/liveupdate/luo_core.c' },
    { messageId: '20260530221938.115978-5-pasha.tatashin@soleen.com', note: 'dropped in favour of the raw struct luo_ser' },
  ],
  fdt: [
    fdtProperty('', 'compatible', 'string', '"luo-v2"'),
    fdtProperty('', 'luo-abi-header', 'u64', 'PA of struct luo_ser'),
  ],
  structs: [
    struct('luo_ser', { packed: true }, [
      u64('liveupdate_num', 'live updates done so far'),
      phys('sessions_pa', 'PA of the session table'),
      phys('flbs_pa', 'PA of the FLB table (struct luo_flb_header_ser)'),
    ]),
  ],
});
