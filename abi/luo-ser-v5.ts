import { chars, defineContainer, phys, struct, u64 } from '../src/schema/define.js';

/** include/linux/kho/abi/luo.h: KHO entry "LUO" is a raw struct luo_ser led by a compat string of 8 bytes. */
export default defineContainer({
  id: 'luo-ser-v5',
  compatible: 'luo-v5',
  alsoCompatible: ['luo-v3', 'luo-v4'],
  header: 'include/linux/kho/abi/luo.h',
  summary: 'raw struct luo_ser { char compatible[8]; liveupdate_num; sessions_pa; flbs_pa }, 32 bytes ("luo-v3", "luo-v4" and "luo-v5" share the bytes)',
  provenance: [
    { messageId: '20260530221938.115978-5-pasha.tatashin@soleen.com', note: 'the raw luo_ser replaces the LUO FDT' },
    { repo: 'openSUSE/kernel', commit: 'cf071b3536df76a2a75b83ca1fe8c043824352c3', note: '"luo-v3"' },
    { repo: 'openSUSE/kernel', commit: '2a441a14c2c03b39d1c89438dd28cef9d8fa57d5', note: '"luo-v4"' },
    { repo: 'linux-mm/linux-mm', commit: 'fb2257f1798af09fc2875cbb8624142f1a489596', note: '"luo-v5"' },
  ],
  structs: [
    struct('luo_ser', { packed: true }, [
      chars('compatible', 8, 'LUO_ABI_COMPATIBLE, NUL-padded to ALIGN(sizeof(str), 8)'),
      u64('liveupdate_num', 'live updates done so far'),
      phys('sessions_pa', 'PA of the session table'),
      phys('flbs_pa', 'PA of the FLB table (struct luo_flb_header_ser)'),
    ]),
  ],
});
