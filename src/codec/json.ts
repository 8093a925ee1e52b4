import { blockExtras } from './block-extra.js';
import { UsageError } from '../errors.js';
import { getAbi, type AbiId } from '../registry.js';
import type { FieldLayout } from '../layout/engine.js';
import type { DecodedBlob } from './decode.js';
import type { EncodeInput } from './encode.js';
import { JsonArrayText } from './json-text.js';
import type { ByteRun } from './types.js';

/** A root or device value as JSON: 64-bit values as strings (0x hex for addresses). */
export function jsonValue(v: number | bigint, f: FieldLayout): number | string {
  if (typeof v === 'number') return v;
  return f.address ? `0x${v.toString(16)}` : v.toString();
}

/** The `decode --json` object. */
export interface DecodedJson {
  abi: string;
  compatible: string;
  version?: number;
  size: number;
  root: Record<string, number | string>;
  /** In-use entries in storage order; null when they live in a block chain not read. */
  devices: Array<Record<string, number | string>> | null;
  extra: Array<{ offset: number; hex: string }>;
  /** Block layouts: where the root was read from in the memory image. */
  rootAddress?: string;
  /** Block layouts decoded with memory: every block with its count and stale bytes. */
  chain?: ChainJson;
  note?: string;
}

/** The KHO block chain of `decode --json`: encode places the same blocks at the same addresses. */
export interface ChainJson {
  pageSize: number;
  blocks: Array<{ address: string; count: string; extra: Array<{ offset: number; hex: string }> }>;
}

/** The JSON form of a decoded blob; `encode` takes it back byte for byte. */
export function toJson(d: DecodedBlob): DecodedJson {
  const lazy = toLazyJson(d);
  return { ...lazy, devices: d.devices ? d.devices.toArray().map((dev) => dev.toJSON()) : null };
}

/** toJson with the devices left as the DeviceList, read one at a time when rendered (jsonChunks); `chainRefused`: a memory image was given but its chain is broken. */
export function toLazyJson(d: DecodedBlob, chainRefused = false): Omit<DecodedJson, 'devices'> & { devices: Iterable<object> | null } {
  const root: Record<string, number | string> = {};
  const values = d.root as Record<string, number | bigint>;
  for (const f of d.layout.root.fields) if (!f.flexible) root[f.name] = jsonValue(values[f.name]!, f);
  const out: Omit<DecodedJson, 'devices'> & { devices: Iterable<object> | null } = {
    abi: d.abi,
    compatible: d.compatible,
    ...(d.layout.version !== undefined ? { version: d.layout.version } : {}),
    size: d.size,
    root,
    devices: d.devices,
    extra: d.extra.map(hexRun),
  };
  if (d.rootAddress !== null) out.rootAddress = `0x${d.rootAddress.toString(16)}`;
  if (d.chain && d.devices) {
    const extras = blockExtras(d.chain, d.devices);
    out.chain = {
      pageSize: d.chain.pageSize,
      blocks: d.chain.blocks.map((b, k) => ({ address: `0x${b.address.toString(16)}`, count: b.count.toString(), extra: extras[k]!.map(hexRun) })),
    };
  }
  if (!d.devices) out.note = blockNote(d, chainRefused);
  return out;
}

function hexRun(r: ByteRun): { offset: number; hex: string } {
  return { offset: r.offset, hex: Buffer.from(r.bytes).toString('hex') };
}

/** What to say when a block layout's devices were not read: no memory image, or (`refused`) a chain the kernel's restore refuses. */
export function blockNote(d: DecodedBlob, refused = false): string {
  const head = (d.root as unknown as Record<string, bigint>).devices ?? 0n;
  if (head === 0n) return 'devices == 0: no KHO block chain';
  return refused
    ? `devices live in a KHO block chain at 0x${head.toString(16)}, which the kernel's restore refuses: see the findings`
    : `devices live in a KHO block chain at 0x${head.toString(16)}; reading them needs a memory image (--memory)`;
}

const TOP_KEYS = new Set(['abi', 'compatible', 'version', 'size', 'root', 'devices', 'extra', 'rootAddress', 'chain', 'note', 'findings']);

/**
 * Check parsed `decode --json` text and return it as encode input with its id: the
 * `abi` argument (an id or unique compat string) or the JSON's `abi`, which must agree.
 * Unknown top-level keys are refused here; encode refuses unknown root and device keys
 * (a misspelled `index` or `reserved` would otherwise read as absent) as it writes them,
 * so a million devices are walked once.
 */
export function fromJson(value: unknown, abi?: string): EncodeInput & { abi: AbiId } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError('expected a JSON object (the output of decode --json)');
  }
  const obj = value as Record<string, unknown>;
  for (const key of Object.keys(obj)) if (!TOP_KEYS.has(key)) throw new UsageError(`unknown key "${key}"`);
  if (typeof obj.root !== 'object' || obj.root === null || Array.isArray(obj.root)) throw new UsageError('expected an object', 'root');
  if (obj.abi !== undefined && typeof obj.abi !== 'string') throw new UsageError('expected a string', 'abi');
  if (obj.devices != null && !Array.isArray(obj.devices) && !(obj.devices instanceof JsonArrayText)) throw new UsageError('expected an array', 'devices');
  if (obj.extra !== undefined && !Array.isArray(obj.extra)) throw new UsageError('expected an array', 'extra');
  const name = abi ?? obj.abi;
  if (name === undefined) throw new UsageError('no ABI id: pass one (--abi), or give the JSON an "abi" key');
  const layout = getAbi(name);
  if (abi !== undefined && obj.abi !== undefined && layout.id !== obj.abi) {
    throw new UsageError(`${abi} disagrees with the JSON's "abi": "${obj.abi}"`);
  }
  return { ...(obj as unknown as EncodeInput), abi: layout.id };
}
