import { FDT_V17_SIZE, hasFdtMagic } from '../fdt/fdt-header.js';
import { fdtChild, fdtCompatible, fdtNativeU64, fdtProp, type FdtNode, type FdtProperty } from '../fdt/fdt-node.js';
import type { PhysicalMemory } from '../memory/memory-image.js';
import { containerFdtProperty } from '../registry.js';
import { readFdtAt } from './read-fdt-at.js';
import { isLuoSerProblem, readFdtLuoSer, readRawLuoSer, type LuoSer } from './luo-ser.js';
import type { DiscoveryFinding, KhoTree, PathStep } from './types.js';

/** The KHO entry name LUO registers under. */
export const LUO_ENTRY = 'LUO';
/** A LUO blob is one page; nothing bigger is read for it. */
const MAX_LUO_BLOB = 1 << 20;

const hex = (v: bigint) => `0x${v.toString(16)}`;

/** Where a tree's bytes are (a physical address, or a file: then offsets only), and the PAGE_SIZE of its kernel. */
export interface TreeBase {
  readonly address?: bigint;
  readonly file?: string;
  readonly pageSize: number;
}

/** A kho-vN / luo-vN version number, or undefined. */
export function compatVersion(compatible: string, prefix: string): number | undefined {
  const m = new RegExp(`^${prefix}(\\d+)(;|$)`).exec(compatible);
  return m ? Number(m[1]) : undefined;
}

/**
 * Follow the KHO tree's "LUO" entry to the FLB table: the LUO FDT ("luo-v1" with luo-flb,
 * "luo-v2" with luo-abi-header) or the raw struct luo_ser (compat string or feature
 * header), appending each link to the tree's path. Returns the FLB table's address, or
 * null when the path ends before it (a finding or a note says why).
 */
export function followLuo(memory: PhysicalMemory, tree: KhoTree, root: FdtNode, base: TreeBase): bigint | null {
  const version = compatVersion(tree.compatible ?? '', 'kho-v');
  const composite = (tree.compatible ?? '').includes(';');
  const at = (offset: number) => (base.address !== undefined ? { address: base.address + BigInt(offset) } : { offset, ...(base.file ? { file: base.file } : {}) });
  const fdtBad = (offset: number, message: string) => tree.findings.push({ rule: 'KHO_FDT_INVALID', severity: 'error', message, ...at(offset) });
  const luo = fdtChild(root, LUO_ENTRY);
  if (!luo) {
    tree.notes.push(`no "${LUO_ENTRY}" entry: the kernel that wrote this tree preserved no Live Update state`);
    return null;
  }
  const pointerName = containerFdtProperty('kho-fdt', '*', version === 1 ? 'fdt' : 'preserved-data').name;
  const pointer = fdtProp(luo, pointerName) ?? fdtProp(luo, version === 1 ? 'preserved-data' : 'fdt');
  if (!pointer) {
    fdtBad(luo.offset, `node ${LUO_ENTRY} has no ${pointerName} property (${tree.compatible} keeps the entry's address there)`);
    return null;
  }
  const pa = u64Prop(pointer, `${LUO_ENTRY}/${pointer.name}`, fdtBad);
  if (pa === null) return null;
  const sizeProp = fdtProp(luo, containerFdtProperty('kho-fdt', '*', 'blob-size').name);
  let blobSize: number | undefined;
  if (sizeProp) {
    const n = u64Prop(sizeProp, `${LUO_ENTRY}/blob-size`, fdtBad);
    if (n === null) return null;
    if (n === 0n || n > BigInt(MAX_LUO_BLOB)) {
      fdtBad(sizeProp.offset, `${LUO_ENTRY}/blob-size = ${n}: a LUO blob is 1 to ${MAX_LUO_BLOB} bytes`);
      return null;
    }
    blobSize = Number(n);
  } else if (pointer.name === 'preserved-data' && ((version ?? 0) >= 3 || composite)) {
    fdtBad(luo.offset, `node ${LUO_ENTRY} has no blob-size property: ${tree.compatible} requires it and its kernel refuses the entry`);
    return null;
  }
  tree.blobSize = blobSize !== undefined;
  const via = `${LUO_ENTRY}/${pointer.name}`;
  if (pa === 0n) return void fdtBad(pointer.offset, `${via} is 0`), null;
  if (pa === base.address) return void fdtBad(pointer.offset, `${via} = ${hex(pa)} points back at the KHO tree itself: a cycle`), null;
  if (!memory.resolves(pa, blobSize ?? 8)) {
    fdtBad(pointer.offset, `${via} = ${hex(pa)}${blobSize !== undefined ? ` (blob-size ${blobSize})` : ''} is not in the memory images`);
    return null;
  }
  const head = memory.read(pa, 4)!;
  if (hasFdtMagic(head)) return followLuoFdt(memory, tree, pa, via, blobSize, base);
  const ser = readRawLuoSer(memory, pa, blobSize);
  if (isLuoSerProblem(ser)) {
    tree.findings.push({ rule: 'LUO_INVALID', severity: 'error', message: `the ${LUO_ENTRY} blob at ${hex(pa)}: ${ser.message}`, address: pa + BigInt(ser.offset) });
    return null;
  }
  return luoSerStep(memory, tree, pa, via, ser, base);
}

function u64Prop(p: FdtProperty, what: string, bad: (offset: number, message: string) => void): bigint | null {
  const v = fdtNativeU64(p);
  if (v === null) bad(p.offset, `${what} is ${p.value.length} bytes; KHO stores a u64 as 8 bytes in CPU order`);
  return v;
}

function followLuoFdt(memory: PhysicalMemory, tree: KhoTree, pa: bigint, via: string, blobSize: number | undefined, base: TreeBase): bigint | null {
  const bad = (address: bigint, message: string) => tree.findings.push({ rule: 'KHO_FDT_INVALID', severity: 'error', message, address });
  const fdt = readFdtAt(memory, pa);
  if (!fdt) {
    bad(pa, `LUO FDT at ${hex(pa)}: its ${FDT_V17_SIZE}-byte header runs past the memory images`);
    return null;
  }
  if (fdt.problem || !fdt.root) {
    bad(pa + BigInt(fdt.problem?.offset ?? 0), `LUO FDT at ${hex(pa)}: ${fdt.problem?.message ?? 'no root node'}`);
    return null;
  }
  if (blobSize !== undefined && blobSize < fdt.header.totalsize) {
    bad(pa, `LUO FDT at ${hex(pa)}: totalsize ${fdt.header.totalsize} is larger than ${via.split('/')[0]}/blob-size ${blobSize}`);
    return null;
  }
  const root = fdt.root;
  const compatible = fdtCompatible(root);
  const number = fdtProp(root, containerFdtProperty('luo-fdt', '', 'liveupdate-number').name);
  const liveupdateNum = number ? fdtNativeU64(number) : null;
  const step: PathStep = {
    kind: 'luo-fdt',
    address: pa,
    ...(compatible !== null ? { compatible } : {}),
    ...(compatible !== null && compatVersion(compatible, 'luo-v') !== undefined ? { version: compatVersion(compatible, 'luo-v')! } : {}),
    via,
    size: fdt.header.totalsize,
    ...(liveupdateNum !== null ? { liveupdateNum } : {}),
  };
  if (compatible === 'luo-v1') {
    tree.path.push({ ...step, layout: 'luo-fdt' });
    const flb = fdtChild(root, 'luo-flb');
    if (!flb) {
      tree.notes.push('the luo-v1 tree has no luo-flb node: this LUO version has no FLB table');
      return null;
    }
    const flbCompat = fdtCompatible(flb);
    if (flbCompat !== 'luo-flb-v1') bad(pa + BigInt(flb.offset), `luo-flb node compatible ${JSON.stringify(flbCompat)}, expected "luo-flb-v1"`);
    const header = fdtProp(flb, containerFdtProperty('luo-fdt', 'luo-flb', 'luo-flb-header').name);
    if (!header) return void bad(pa + BigInt(flb.offset), 'luo-flb node has no luo-flb-header property'), null;
    const flbPa = u64Prop(header, 'luo-flb/luo-flb-header', (o, m) => bad(pa + BigInt(o), m));
    return flbPa === null ? null : checkFlbPa(memory, tree, flbPa, 'luo-flb/luo-flb-header', 'KHO_FDT_INVALID', pa + BigInt(header.offset), base);
  }
  const abiHeader = fdtProp(root, containerFdtProperty('luo-fdt-abihdr', '', 'luo-abi-header').name);
  if (abiHeader && (compatible === 'luo-v2' || compatible === 'luo-v3')) {
    tree.path.push({ ...step, layout: 'luo-fdt-abihdr' });
    const serPa = u64Prop(abiHeader, 'luo-abi-header', (o, m) => bad(pa + BigInt(o), m));
    if (serPa === null) return null;
    const ser = readFdtLuoSer(memory, serPa);
    if (!ser) return void tree.findings.push({ rule: 'LUO_INVALID', severity: 'error', message: `luo-abi-header = ${hex(serPa)}: struct luo_ser is not in the memory images`, address: pa + BigInt(abiHeader.offset) }), null;
    return luoSerStep(memory, tree, serPa, 'luo-abi-header', ser, base);
  }
  tree.path.push(step);
  tree.findings.push({ rule: 'LUO_INVALID', severity: 'error', message: `LUO FDT at ${hex(pa)} has compatible ${JSON.stringify(compatible)}: no known LUO container (luo-v1 with luo-flb, luo-v2 with luo-abi-header)`, address: pa });
  return null;
}

function luoSerStep(memory: PhysicalMemory, tree: KhoTree, pa: bigint, via: string, ser: LuoSer, base: TreeBase): bigint | null {
  const compatible = ser.compatible;
  tree.path.push({
    kind: 'luo-ser',
    address: pa,
    ...(compatible !== undefined ? { compatible } : {}),
    ...(compatible !== undefined && compatVersion(compatible, 'luo-v') !== undefined ? { version: compatVersion(compatible, 'luo-v')! } : {}),
    layout: ser.layout,
    via,
    size: ser.size,
    liveupdateNum: ser.liveupdate_num,
  });
  if (ser.flbs_pa === 0n) {
    tree.notes.push('luo_ser.flbs_pa is 0: no FLB table');
    return null;
  }
  return checkFlbPa(memory, tree, ser.flbs_pa, 'luo_ser.flbs_pa', 'LUO_INVALID', pa + BigInt(ser.flbsOffset), base);
}

function checkFlbPa(memory: PhysicalMemory, tree: KhoTree, flbPa: bigint, via: string, rule: DiscoveryFinding['rule'], from: bigint, base: TreeBase): bigint | null {
  const bad = (message: string) => tree.findings.push({ rule, severity: 'error', message, address: from });
  const onPath = tree.path.find((s) => s.address === flbPa) ?? (flbPa === base.address ? { kind: 'kho-fdt' } : undefined);
  if (onPath) return void bad(`${via} = ${hex(flbPa)} points back at the ${onPath.kind} on the path: a cycle`), null;
  if (!memory.resolves(flbPa, base.pageSize)) return void bad(`${via} = ${hex(flbPa)}: the FLB table page (${base.pageSize} bytes) is not in the memory images`), null;
  tree.path.push({ kind: 'flb-table', address: flbPa, layout: 'luo-flb', via });
  return flbPa;
}
