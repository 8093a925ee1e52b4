import { decode } from '../codec/decode.js';
import { encode } from '../codec/encode.js';
import { intRange } from '../codec/scalar.js';
import { UsageError } from '../errors.js';
import type { ReportFinding } from '../format/findings.js';
import { getAbi, type PciAbi } from '../registry.js';

/** Options of convert. */
export interface ConvertOptions {
  /** max_nr_devices of the target; default the source's, or the device count. */
  readonly max?: number;
}

/** A converted blob, or the findings that say why the target cannot hold the devices. */
export interface ConvertResult {
  readonly bytes?: Uint8Array;
  readonly devices: number;
  readonly findings: readonly ReportFinding[];
}

interface Device {
  readonly domain: number;
  readonly bdf: number;
  readonly refcount: number;
  readonly address: string;
}

const key = (d: Device) => BigInt(d.domain) * 65536n + BigInt(d.bdf);

/**
 * The same device set under another flat (inline) layout: sorted <-> slots, u16 <-> u32 domain,
 * u64 <-> u32 counts. What the target cannot hold (a domain above 0xffff in a u16 field, more
 * devices than its capacity, hierarchical refcounts in a 0/1 layout, any device in the
 * skeleton layout, duplicates in a sorted layout) is a finding and no blob is made.
 */
export function convert(bytes: Uint8Array, from: string, to: string, opts: ConvertOptions = {}): ConvertResult {
  const src = getAbi(from);
  const dst = getAbi(to);
  for (const a of [src, dst]) {
    if (a.storage !== 'inline') {
      throw new UsageError(`${a.id} keeps its devices in a KHO block chain: converting to or from it needs memory images, which convert does not take yet`);
    }
  }
  const decoded = decode(bytes, src.id);
  const devices: Device[] = [...decoded.devices!].map((d) => ({ domain: d.domain, bdf: d.bdf, refcount: d.refcount ?? 1, address: d.address }));
  const max = capacity(src, decoded.root as Record<string, number | bigint>, devices.length, opts.max);
  const findings = check(devices, src, dst, max);
  if (findings.length) return { devices: devices.length, findings };
  const ordered = dst.semantics === 'sorted' ? [...devices].sort((a, b) => (key(a) < key(b) ? -1 : 1)) : devices;
  const root: Record<string, number | bigint> = { [dst.roles.nr.name]: ordered.length };
  if (dst.roles.max) root[dst.roles.max.name] = max;
  const entries = ordered.map((d, index) => ({ index, domain: d.domain, bdf: d.bdf, ...(dst.roles.refcount ? { refcount: d.refcount } : {}) }));
  return { bytes: encode({ root, devices: entries }, dst.id), devices: ordered.length, findings: [] };
}

/** The target's max_nr_devices: --max, else the source's, else the device count. */
function capacity(src: PciAbi, root: Record<string, number | bigint>, count: number, max?: number): bigint {
  if (max !== undefined) return BigInt(max);
  return src.roles.max ? BigInt(root[src.roles.max.name]!) : BigInt(count);
}

function check(devices: readonly Device[], src: PciAbi, dst: PciAbi, max: bigint): ReportFinding[] {
  const out: ReportFinding[] = [];
  const err = (rule: string, message: string) => out.push({ rule, severity: 'error', message });
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
  }
  return out;
}
