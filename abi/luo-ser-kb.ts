import { chars, defineContainer, phys, struct, u64 } from '../src/schema/define.js';

/** include/linux/kho/abi/luo.h, KHO-block sessions: KHO entry "LUO" is a raw struct luo_ser with a 24-byte compat array. */
export default defineContainer({
  id: 'luo-ser-kb',
  compatible: 'luo-v3-kho-block-v1',
  header: 'include/linux/kho/abi/luo.h',
  summary: 'raw struct luo_ser { char compatible[ALIGN(sizeof("luo-v3-kho-block-v1"), 8)]; liveupdate_num; sessions_pa; flbs_pa }, 48 bytes; sessions and files on KHO blocks',
  provenance: [
    { repo: 'kernelorg-mirror/linux_kernel_git_tatashin_linux', commit: 'bba4117b55843848d43ef79bf598e46d6658058b', note: 'luo.h' },
    { repo: 'kernelorg-mirror/linux_kernel_git_tatashin_linux', commit: 'f0482e8a313ecee9a59dc2e548a369c075600ebd', note: 'luo_flb.c' },
  ],
  structs: [
    struct('luo_ser', { packed: true }, [
      chars('compatible', 24, 'LUO_ABI_COMPATIBLE, NUL-padded'),
      u64('liveupdate_num', 'live updates done so far'),
      phys('sessions_pa', 'PA of the session table'),
      phys('flbs_pa', 'PA of the FLB table (struct luo_flb_header_ser)'),
    ]),
  ],
});
