import { defineContainer, phys, struct, u64 } from '../src/schema/define.js';

/** include/linux/kho/abi/luo.h, feature negotiation: KHO entry "LUO" is a 152-byte struct luo_ser with no compat string. */
export default defineContainer({
  id: 'luo-ser-feat',
  header: 'include/linux/kho/abi/luo.h',
  summary: 'raw struct luo_ser { struct luo_feature_hdr features; liveupdate_num; sessions_pa; flbs_pa }, 152 bytes; feature bits NUMBER 1, SESSIONS 2, FLBS 4',
  provenance: [{ repo: 'linux-mm/linux-mm', commit: '29a7510738430cd1bc2e75d78cd28ed37ac846eb', note: 'luo.h' }],
  structs: [
    struct('luo_feature_hdr', { packed: true }, [
      u64('supp', 'features the writer supports'),
      u64('req', 'features the reader must support'),
      u64('active', 'features in use in this handover'),
      u64('reserved', 'must be zero', { count: 13 }),
    ]),
    struct('luo_ser', { packed: true }, [
      { name: 'features', type: 'struct luo_feature_hdr', doc: 'feature negotiation header' },
      u64('liveupdate_num', 'live updates done so far'),
      phys('sessions_pa', 'PA of the session table'),
      phys('flbs_pa', 'PA of the FLB table (struct luo_flb_header_ser)'),
    ]),
  ],
});
