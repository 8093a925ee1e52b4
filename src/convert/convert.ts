import { encodeImage, type ImageOptions } from '../codec/encode-image.js';
import { DEFAULT_PAGE_SIZE, entriesPerBlock, MAX_BLOCKS } from '../block-chain/page-size.js';
import { decode, type DecodeOptions } from '../codec/decode.js';
import { encode } from '../codec/encode.js';
import { intRange } from '../codec/scalar.js';
import { UsageError } from '../errors.js';
import type { ConvertRuleId, Finding } from '../findings.js';
import { getAbi, type PciAbi } from '../registry.js';

/** Options of convert. */
export interface ConvertOptions {
  /** max_nr_devices of the target; default the source's, or the device count. */
  readonly max?: number;
  /** How to read a block-chain source: its memory image, page size, root address. */
  readonly source?: DecodeOptions;
  /** Where a block-chain target puts its root page and blocks in the ELF core written. */
  readonly image?: ImageOptions;
}

/** A converted blob, or the findings that say why the target cannot hold the devices. */
export interface ConvertResult {
  readonly bytes?: Uint8Array;
  readonly devices: number;
  readonly findings: readonly Finding[];
}

interface Device {
  readonly domain: number;
  readonly bdf: number;
  readonly refcount: number;
  readonly address: string;
}

const key = (d: Device) => BigInt(d.domain) * 65536n + BigInt(d.bdf);

/**
 * The same device set under another layout: sorted <-> slots, u16 <-> u32 domain, u64 <-> u32
 * counts, flat <-> KHO block chain. A block-chain source is read through `source.memory`; a
 * block-chain target is written as an ELF core holding its root page and dense blocks. What
 * the target cannot hold (a domain above 0xffff in a u16 field, more devices than its capacity,
 * hierarchical refcounts in a 0/1 layout, any device in the skeleton layout, duplicates) is a
 * finding and nothing is made.
 */
export function convert(bytes: Uint8Array, from: string, to: string, opts: ConvertOptions = {}): ConvertResult {
  const src = getAbi(from);
  const dst = getAbi(to);
  const decoded = decode(bytes, src.id, opts.source ?? {});
  if (!decoded.devices) throw new UsageError(`${src.id} keeps its devices in a KHO block chain: pass the memory image that holds it (--memory)`);
  const devices: Device[] = [...decoded.devices].map((d) => ({ domain: d.domain, bdf: d.bdf, refcount: d.refcount ?? 1, address: d.address }));
  const max = capacity(src, dst, decoded.root as Record<string, number | bigint>, devices.length, opts);
  const findings = check(devices, src, dst, max);
  if (findings.length) return { devices: devices.length, findings };
  const ordered = dst.semantics === 'sorted' ? [...devices].sort((a, b) => (key(a) < key(b) ? -1 : 1)) : devices;
  const root: Record<string, number | bigint> = { [dst.roles.nr.name]: ordered.length };
  if (dst.roles.max) root[dst.roles.max.name] = max;
  if (dst.roles.version) root[dst.roles.version.name] = dst.version!;
  const entries = ordered.map((d, index) => ({ index, domain: d.domain, bdf: d.bdf, ...(dst.roles.refcount ? { refcount: d.refcount } : {}) }));
  if (dst.storage === 'inline') return { bytes: encode({ root, devices: entries }, dst.id), devices: ordered.length, findings: [] };
  root[dst.roles.devices.name] = 0n; // encodeImage points it at the first block it places
  return { bytes: encodeImage({ root, devices: entries }, dst.id, opts.image ?? {}), devices: ordered.length, findings: [] };
}

/** The target's capacity: --max, else the source's max_nr_devices, else the device count; a chain's is its block limit. */
function capacity(src: PciAbi, dst: PciAbi, root: Record<string, number | bigint>, count: number, opts: ConvertOptions): bigint {
  if (dst.storage === 'block-chain') return BigInt(MAX_BLOCKS * entriesPerBlock(opts.image?.pageSize ?? DEFAULT_PAGE_SIZE, dst.entry.size));
  if (opts.max !== undefined) return BigInt(opts.max);
  return src.roles.max ? BigInt(root[src.roles.max.name]!) : BigInt(count);
}

function check(devices: readonly Device[], src: PciAbi, dst: PciAbi, max: bigint): Finding[] {
  const out: Finding[] = [];
  const err = (rule: ConvertRuleId, message: string) => out.push({ rule, severity: 'error', message });
  if (dst.semantics === 'skeleton' && devices.length) err('CONVERT_TARGET_SKELETON', `${dst.id} is the FLB skeleton: it never holds a device, and the blob has ${devices.length}`);
  const [, domainMax] = intRange(dst.roles.domain);
  for (const d of devices) {
    if (BigInt(d.domain) > domainMax) err('CONVERT_DOMAIN_TOO_WIDE', `${d.address}: domain 0x${d.domain.toString(16)} does not fit the ${dst.roles.domain.size * 8}-bit domain of ${dst.id}`);
  }
  if (dst.semantics === 'slots' || dst.semantics === 'sorted') {
    const deep = devices.filter((d) => d.refcount > 1);
    if (src.semantics === 'slots-hier' && deep.length) {
      err('CONVERT_REFCOUNT_HIERARCHICAL', `${deep.length} entr${deep.length === 1 ? 'y has' : 'ies have'} a hierarchical refcount above 1 (e.g. ${deep[0]!.address} = ${deep[0]!.refcount}); ${dst.id} counts 0/1 only`);
    }
  }
  const seen = new Set<bigint>();
  for (const d of devices) {
    if (seen.has(key(d))) err('CONVERT_DUPLICATE_DEVICE', `${d.address} appears twice; ${dst.id} cannot store it twice`);
    seen.add(key(d));
  }
  if (dst.roles.max) {
    const [, limit] = intRange(dst.roles.max);
    if (max > limit) err('CONVERT_TOO_MANY_DEVICES', `max_nr_devices ${max} does not fit ${dst.id}'s ${dst.roles.max.size * 8}-bit field`);
    if (BigInt(devices.length) > max) err('CONVERT_TOO_MANY_DEVICES', `${devices.length} devices do not fit max_nr_devices ${max} of ${dst.id}`);
  } else if (dst.storage === 'block-chain' && BigInt(devices.length) > max) {
    err('CONVERT_TOO_MANY_DEVICES', `${devices.length} devices do not fit the ${MAX_BLOCKS} KHO blocks of a chain (${max} entries)`);
  }
  return out;
}
