import { execFileSync } from 'node:child_process';
import { closeSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PhysicalChunk } from '../../src/memory/write-elf-core.js';

const DTS_DIR = fileURLToPath(new URL('../../fixtures/kho-fdt/', import.meta.url));

/** Where fixtures/kho-fdt/*.dts put things (see the README there). */
export const PA = {
  kho: 0x7f000n,
  luo: 0x50000n,
  luoSer: 0x51000n,
  flb: 0x52000n,
  pci: 0x100000n,
  block: 0x101000n,
} as const;

/** A u64 as the byte string KHO writes into a tree: 8 bytes, little-endian (`[00 10 05 00 …]`). */
export function dtsU64(v: bigint): string {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(v);
  return `[${[...b].map((x) => x.toString(16).padStart(2, '0')).join(' ')}]`;
}

/** Compile fixtures/kho-fdt/NAME.dts with the real dtc, after replacing each `from` text by `to`. */
export function compileDts(name: string, replace: Record<string, string> = {}): Uint8Array {
  let text = readFileSync(join(DTS_DIR, `${name}.dts`), 'utf8');
  for (const [from, to] of Object.entries(replace)) {
    if (!text.includes(from)) throw new Error(`${name}.dts has no ${from}`);
    text = text.split(from).join(to);
  }
  return new Uint8Array(execFileSync('dtc', ['-q', '-I', 'dts', '-O', 'dtb', '-o', '-', '-'], { input: text }));
}

const u64 = (view: DataView, at: number, v: bigint) => view.setBigUint64(at, v, true);

/** A LUO FLB table page: luo_flb_header_ser { pgcnt; count } then luo_flb_ser { name[48]; data; count } entries. */
export function flbTablePage(entries: ReadonlyArray<{ name: string; data: bigint; count?: bigint }>, pageSize = 4096): Uint8Array {
  const page = new Uint8Array(pageSize);
  const v = new DataView(page.buffer);
  u64(v, 0, 1n);
  u64(v, 8, BigInt(entries.length));
  entries.forEach((e, i) => {
    const at = 16 + i * 64;
    page.set(Buffer.from(e.name, 'latin1'), at);
    u64(v, at + 48, e.data);
    u64(v, at + 56, e.count ?? 1n);
  });
  return page;
}

/** A raw struct luo_ser led by a compat string padded to ALIGN(sizeof(str), 8): then liveupdate_num, sessions_pa, flbs_pa. */
export function compatLuoSer(compatible: string, liveupdateNum: bigint, flbsPa: bigint): Uint8Array {
  const arr = Math.ceil((compatible.length + 1) / 8) * 8;
  const b = new Uint8Array(arr + 24);
  b.set(Buffer.from(compatible, 'latin1'));
  const v = new DataView(b.buffer);
  u64(v, arr, liveupdateNum);
  u64(v, arr + 8, 0xa0000n);
  u64(v, arr + 16, flbsPa);
  return b;
}

/** The 24-byte luo_ser a "luo-v2" LUO FDT points at. */
export function fdtLuoSer(liveupdateNum: bigint, flbsPa: bigint): Uint8Array {
  return compatLuoSer('', liveupdateNum, flbsPa).subarray(8);
}

/** The 152-byte feature-header luo_ser: supp, req, active, reserved[13], then liveupdate_num, sessions_pa, flbs_pa. */
export function featureLuoSer(liveupdateNum: bigint, flbsPa: bigint, features = 7n): Uint8Array {
  const b = new Uint8Array(152);
  const v = new DataView(b.buffer);
  for (const at of [0, 8, 16]) u64(v, at, features);
  u64(v, 128, liveupdateNum);
  u64(v, 136, 0xa0000n);
  u64(v, 144, flbsPa);
  return b;
}

/** The devices of the pci/blk16-v1 blob: (domain, bdf) of each in-use slot. */
export const DEVICES = [
  [0x0000, 0x3b00],
  [0x0000, 0x3b01],
  [0x10000, 0x0008],
] as const;

/** struct pci_ser of pci/blk16-v1 { u32 version; u32 nr_devices; u64 devices } and its one KHO block. */
export function pciBlk16Chunks(rootPa: bigint = PA.pci, blockPa: bigint = PA.block): PhysicalChunk[] {
  const root = new Uint8Array(16);
  const rv = new DataView(root.buffer);
  rv.setUint32(0, 1, true);
  rv.setUint32(4, DEVICES.length, true);
  u64(rv, 8, blockPa);
  const block = new Uint8Array(4096);
  const bv = new DataView(block.buffer);
  u64(bv, 0, 0n);
  u64(bv, 8, BigInt(DEVICES.length));
  DEVICES.forEach(([domain, bdf], i) => {
    bv.setUint32(16 + i * 8, domain, true);
    bv.setUint16(20 + i * 8, bdf, true);
    bv.setUint16(22 + i * 8, 1, true);
  });
  return [{ pa: rootPa, bytes: root }, { pa: blockPa, bytes: block }];
}

/** The LUO container forms of the fixtures, by the registry container each uses. */
export type LuoForm = 'luo-fdt' | 'luo-fdt-abihdr' | 'luo-ser-v5' | 'luo-ser-kb' | 'luo-ser-feat';

const KHO_DTS: Record<LuoForm, string> = {
  'luo-fdt': 'kho-v1-luo-fdt',
  'luo-fdt-abihdr': 'kho-v2-luo-abihdr',
  'luo-ser-v5': 'kho-v3-luo-v5',
  'luo-ser-kb': 'kho-v3-luo-kb',
  'luo-ser-feat': 'kho-v4-composite-feat',
};

/** Where to place a state: `base` moves every address of PA; the others move one piece. */
export interface StatePlacement {
  readonly liveupdateNum?: bigint;
  readonly base?: bigint;
  readonly kho?: bigint;
  readonly luo?: bigint;
  readonly flb?: bigint;
  /** The KHO block of the pci_ser (64 KiB-aligned for a 64 KiB kernel). */
  readonly block?: bigint;
  readonly flbEntries?: Parameters<typeof flbTablePage>[0];
}

/** Every chunk of a handover state: the KHO tree (dtc-built), the LUO container, the FLB table, the PCI blob and its block. */
export function khoStateChunks(form: LuoForm, opts: StatePlacement = {}): PhysicalChunk[] {
  const n = opts.liveupdateNum ?? 3n;
  const base = opts.base ?? 0n;
  const luoPa = opts.luo ?? PA.luo + base;
  const luoSerPa = PA.luoSer + base;
  const flbPa = opts.flb ?? PA.flb + base;
  const pciPa = PA.pci + base;
  const moved = (from: bigint, to: bigint): Record<string, string> => (from === to ? {} : { [dtsU64(from)]: dtsU64(to) });
  const kho = compileDts(KHO_DTS[form], moved(PA.luo, luoPa));
  const luo: PhysicalChunk[] =
    form === 'luo-fdt'
      ? [{ pa: luoPa, bytes: compileDts('luo-v1-flb', { ...moved(3n, n), ...moved(PA.flb, flbPa) }) }]
      : form === 'luo-fdt-abihdr'
        ? [{ pa: luoPa, bytes: compileDts('luo-v2-abihdr', moved(PA.luoSer, luoSerPa)) }, { pa: luoSerPa, bytes: fdtLuoSer(n, flbPa) }]
        : form === 'luo-ser-feat'
          ? [{ pa: luoPa, bytes: featureLuoSer(n, flbPa) }]
          : [{ pa: luoPa, bytes: compatLuoSer(form === 'luo-ser-v5' ? 'luo-v5' : 'luo-v3-kho-block-v1', n, flbPa) }];
  const entries = opts.flbEntries ?? [
    { name: 'memfd-v1', data: 0x3000n + base, count: 2n },
    { name: 'pci', data: pciPa, count: 3n },
  ];
  return [{ pa: opts.kho ?? PA.kho + base, bytes: kho }, ...luo, { pa: flbPa, bytes: flbTablePage(entries) }, ...pciBlk16Chunks(pciPa, opts.block ?? PA.block + base)];
}

/** Write a raw physical dump of `size` bytes starting at physical 0 (sparse where no chunk is). */
export function writeRawDump(path: string, chunks: readonly PhysicalChunk[], size: number): void {
  const fd = openSync(path, 'w');
  try {
    ftruncateSync(fd, size);
    for (const c of chunks) writeSync(fd, c.bytes, 0, c.bytes.length, Number(c.pa));
  } finally {
    closeSync(fd);
  }
}
