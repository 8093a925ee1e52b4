import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseFdt } from '../../src/fdt/parse-fdt.js';
import { elfCoreBytes } from '../../src/memory/write-elf-core.js';
import { compileDts, dtsU64, khoStateChunks, PA, writeRawDump } from '../helpers/kho-state.js';
import { CLI } from '../cli/run-cli.js';

const MAX_RSS = fileURLToPath(new URL('../../bench/max-rss.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'kho-abi-hostile-fdt-'));
const LIMIT_MS = 2000;
const LIMIT_KIB = 200 * 1024;

/** Run the built command with a VmHWM probe; wall time measured around the child. */
function measured(args: string[]) {
  const start = performance.now();
  const r = spawnSync(process.execPath, ['--import', MAX_RSS, CLI, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const ms = performance.now() - start;
  const rss = /\nmaxrss-kib=(\d+)\n$/.exec(r.stderr);
  return { code: r.status, out: r.stdout, err: rss ? r.stderr.slice(0, rss.index) : r.stderr, ms, kib: rss ? Number(rss[1]) : Infinity };
}

const u32 = (b: Uint8Array, at: number, v: number) => new DataView(b.buffer, b.byteOffset).setUint32(at, v);
const path = (name: string) => join(dir, name);

beforeAll(() => {
  const state = khoStateChunks('luo-ser-v5');
  const kho = state[0]!.bytes;
  const blobSize = parseFdt(kho).root!.children[0]!.properties.find((p) => p.name === 'blob-size')!;
  const hugeLen = kho.slice();
  u32(hugeLen, blobSize.offset - 8, 0xffffffff);
  writeFileSync(path('prop-4g.core'), elfCoreBytes([{ pa: PA.kho, bytes: hugeLen }, ...state.slice(1)]));
  const pastEnd = kho.slice();
  u32(pastEnd, 4, 0x100000);
  writeRawDump(path('past-end.raw'), [{ pa: 0x1000n, bytes: pastEnd }], 0x2000);
  writeFileSync(path('cycle.core'), elfCoreBytes([{ pa: PA.kho, bytes: compileDts('kho-v3-luo-cycle') }]));
  const toLuoFdt = khoStateChunks('luo-fdt', { flb: PA.kho });
  writeFileSync(path('flb-to-kho.core'), elfCoreBytes(toLuoFdt.filter((c) => c.pa !== PA.kho || c.bytes.length < 4096)));
  writeFileSync(path('flb-self.core'), elfCoreBytes(khoStateChunks('luo-ser-feat', { flbEntries: [{ name: 'pci', data: PA.flb }] })));
  writeFileSync(path('flbs-to-luo.core'), elfCoreBytes(khoStateChunks('luo-ser-v5', { flb: PA.luo }).filter((c) => c.pa !== PA.luo || c.bytes.length === 32)));
  const everyPage = [];
  for (let pa = 0n; pa < 64n << 20n; pa += 4096n) everyPage.push({ pa, bytes: kho });
  writeRawDump(path('magic-everywhere.raw'), everyPage, 64 << 20);
  const deepLuo = khoStateChunks('luo-fdt');
  deepLuo[1] = { pa: PA.luo, bytes: compileDts('luo-v1-flb', { [dtsU64(PA.flb)]: dtsU64(PA.luo) }) };
  writeFileSync(path('luo-flb-self.core'), elfCoreBytes(deepLuo));
});

describe('hostile KHO trees: bounded, a rule id or one clear line', () => {
  const cases: Array<[string, string[], 1 | 2, RegExp]> = [
    ['a property length of 4 GiB', ['prop-4g.core'], 1, /error\[KHO_FDT_INVALID\]: KHO FDT: property length 4294967295 runs past the structure block/],
    ['totalsize past the image', ['past-end.raw@0x0'], 1, /0x1004: error\[KHO_FDT_INVALID\]: KHO FDT: totalsize 1048576 runs past the memory that holds the tree \(4096 bytes from its start\)/],
    ['LUO pointing back at the KHO tree', ['cycle.core'], 1, /error\[KHO_FDT_INVALID\]: .* points back at the KHO tree itself: a cycle/],
    ['luo-flb-header pointing at the KHO tree', ['flb-to-kho.core'], 1, /error\[KHO_FDT_INVALID\]: luo-flb\/luo-flb-header = 0x7f000 points back at the kho-fdt on the path: a cycle/],
    ['luo-flb-header pointing at its own LUO tree', ['luo-flb-self.core'], 1, /error\[KHO_FDT_INVALID\]: luo-flb\/luo-flb-header = 0x50000 points back at the luo-fdt on the path: a cycle/],
    ['flbs_pa pointing at the luo_ser itself', ['flbs-to-luo.core'], 1, /error\[LUO_INVALID\]: luo_ser\.flbs_pa = 0x50000 points back at the luo-ser on the path: a cycle/],
    ['an FLB table entry pointing at the table itself', ['flb-self.core'], 1, /FLB "pci" \(entry 0\) -> struct pci_ser @ 0x52000:\n {2}pci\/blk16-v1: NOT consistent/],
    ['FDT magic at every page start of 64 MiB', ['magic-everywhere.raw@0x0'], 1, /^memory: .*magic-everywhere.raw: raw physical dump\n1 KHO tree found by scanning 16384 page starts[^\n]*\n {2}16128 more FDT magic words not examined \(at most 256 are\)\n[^]*same bytes also at 0x1000, .*, 0x8000 and 247 more\n.*error\[KHO_FDT_INVALID\]: LUO FDT at 0x50000: totalsize 285 is larger than LUO\/blob-size 32/],
  ];

  it.each(cases)('%s: bounded, exit as expected, in under 2 s and 200 MB', (_, images, code, message) => {
    const r = measured(['inspect', ...images.flatMap((i) => ['--memory', path(i)])]);
    expect(r.code, r.out + r.err).toBe(code);
    expect(r.out + r.err).toMatch(message);
    expect(r.err).not.toMatch(/internal error|\n\s+at /);
    expect(r.ms, `took ${r.ms.toFixed(0)} ms`).toBeLessThan(LIMIT_MS);
    expect(r.kib, `peak RSS ${r.kib} KiB`).toBeLessThan(LIMIT_KIB);
  });
});
