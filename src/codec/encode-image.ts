import { encode, writeEntries, type EncodeInput, type ExtraInput } from './encode.js';
import { toFieldInt } from './scalar.js';
import { UsageError } from '../errors.js';
import { elfCoreBytes, type PhysicalChunk } from '../memory/write-elf-core.js';
import { getAbi } from '../registry.js';
import { blockHeader, checkPageSize, DEFAULT_PAGE_SIZE, entriesPerBlock, MAX_BLOCKS } from '../block-chain/page-size.js';

/** A block of `decode --json`'s `chain`: where it sits, how many entries it stores, its stale bytes. */
export interface BlockInput {
  readonly address?: unknown;
  readonly count: unknown;
  readonly extra?: readonly ExtraInput[];
}

/** encode input for block layouts: `decode --json` with `rootAddress` and `chain`. */
export interface ImageInput extends EncodeInput {
  readonly rootAddress?: unknown;
  readonly chain?: { readonly pageSize?: unknown; readonly blocks?: readonly BlockInput[] } | null;
}

/** Where encodeImage places the root page and the blocks. */
export interface ImageOptions {
  /** PAGE_SIZE: 4096 (default), 16384 or 65536. */
  readonly pageSize?: number;
  /** Physical address of the root page; default the input's rootAddress, else 0x100000. */
  readonly rootAddress?: bigint;
  /** Put block k at blocksAddress + k * blockStride and point pci_ser.devices at it; default the input's own addresses, else the page after the root. */
  readonly blocksAddress?: bigint;
  /** Bytes between consecutive blocks when they are placed (default one page). */
  readonly blockStride?: bigint;
}

/** Default physical address of the root page. */
export const DEFAULT_ROOT_ADDRESS = 0x100000n;

const nextField = blockHeader.fields.find((f) => f.name === 'next')!;
const countField = blockHeader.fields.find((f) => f.name === 'count')!;

/**
 * Encode a block layout as an ELF64 core image: the root page and every KHO block at
 * deterministic physical addresses. The inverse of decode with a memory image.
 */
export function encodeImage(input: ImageInput, abi: string, opts: ImageOptions = {}): Uint8Array {
  const layout = getAbi(abi);
  if (layout.storage !== 'block-chain') throw new UsageError(`${layout.id} keeps its devices inline: encode writes a blob, not a memory image`);
  if (typeof input !== 'object' || input === null) throw new UsageError('expected an object (the output of decode --json)');
  const pageSize = chainPageSize(input, opts);
  const page = BigInt(pageSize);
  const perBlock = entriesPerBlock(pageSize, layout.entry.size);
  const devices = input.devices == null ? [] : Array.from(input.devices);
  const given = input.chain?.blocks;
  if (given !== undefined && !Array.isArray(given)) throw new UsageError('expected an array', 'chain.blocks');
  const counts = given ? given.map((b, k) => blockCount(b, perBlock, `chain.blocks[${k}]`)) : denseCounts(devices, perBlock);
  if (counts.length > MAX_BLOCKS) throw new UsageError(`${counts.length} blocks; a chain holds at most ${MAX_BLOCKS}`, 'chain.blocks');
  const stored = counts.reduce((a, b) => a + b, 0);
  const entries = new Uint8Array(stored * layout.entry.size);
  const used = writeEntries(layout, new DataView(entries.buffer), 0, devices, stored, 0);

  const rootAddress = opts.rootAddress ?? (input.rootAddress !== undefined ? address(input.rootAddress, 'rootAddress') : DEFAULT_ROOT_ADDRESS);
  const place = opts.blocksAddress !== undefined || !given || given.some((b) => b.address === undefined);
  const stride = opts.blockStride ?? page;
  if (stride < page || stride % page !== 0n) throw new UsageError(`block stride ${stride} is not a positive multiple of the ${pageSize}-byte page`);
  const first = opts.blocksAddress ?? rootAddress + roundUp(BigInt(Math.max(layout.root.size, input.size ?? 0)), page);
  const addresses = counts.map((_, k) => (place ? first + BigInt(k) * stride : address(given![k]!.address, `chain.blocks[${k}].address`)));
  addresses.forEach((a, k) => {
    if (a % page !== 0n) throw new UsageError(`0x${a.toString(16)} is not aligned to the ${pageSize}-byte page`, `chain.blocks[${k}].address`);
  });

  const root = place ? { ...input.root, [layout.roles.devices.name]: `0x${(addresses[0] ?? 0n).toString(16)}` } : input.root;
  const rootBytes = encode({ root, ...(input.size !== undefined ? { size: input.size } : {}), ...(input.extra ? { extra: input.extra } : {}) }, layout.id);
  const rootPage = new Uint8Array(Number(roundUp(BigInt(rootBytes.length), page)));
  rootPage.set(rootBytes);
  const chunks: PhysicalChunk[] = [{ pa: rootAddress, bytes: rootPage }];
  let firstIndex = 0;
  counts.forEach((count, k) => {
    const block = new Uint8Array(pageSize);
    const v = new DataView(block.buffer);
    v.setBigUint64(nextField.offset, addresses[k + 1] ?? 0n, true);
    v.setBigUint64(countField.offset, BigInt(count), true);
    block.set(entries.subarray(firstIndex * layout.entry.size, (firstIndex + count) * layout.entry.size), blockHeader.size);
    const inUse = used.subarray(firstIndex, firstIndex + count);
    const extra: readonly ExtraInput[] = given?.[k]?.extra ?? [];
    extra.forEach((run, j) => placeBlockRun(block, run, inUse, layout.entry.size, `chain.blocks[${k}].extra[${j}]`));
    chunks.push({ pa: addresses[k]!, bytes: block });
    firstIndex += count;
  });
  return elfCoreBytes(chunks);
}

function chainPageSize(input: ImageInput, opts: ImageOptions): number {
  const fromJson = input.chain?.pageSize;
  if (fromJson !== undefined && typeof fromJson !== 'number') throw new UsageError('expected a number', 'chain.pageSize');
  if (opts.pageSize !== undefined && fromJson !== undefined && opts.pageSize !== fromJson) {
    throw new UsageError(`--page-size ${opts.pageSize} disagrees with the JSON's chain.pageSize ${fromJson}`);
  }
  return checkPageSize(opts.pageSize ?? fromJson ?? DEFAULT_PAGE_SIZE);
}

function blockCount(b: BlockInput, perBlock: number, path: string): number {
  if (typeof b !== 'object' || b === null) throw new UsageError('expected { address, count }', path);
  const n = toFieldInt(b.count, countField, `${path}.count`);
  if (n === 0n || n > BigInt(perBlock)) throw new UsageError(`count ${n}: a block holds 1..${perBlock} entries`, `${path}.count`);
  return Number(n);
}

/** Blocks filled as the kernel's writer fills them: every block full but the last. */
function denseCounts(devices: readonly unknown[], perBlock: number): number[] {
  let stored = 0;
  devices.forEach((d, k) => {
    const index = typeof d === 'object' && d !== null && 'index' in d ? (d as { index: unknown }).index : k;
    stored = Math.max(stored, typeof index === 'number' && Number.isSafeInteger(index) && index >= 0 ? index + 1 : k + 1);
  });
  const counts: number[] = [];
  for (let left = stored; left > 0; left -= perBlock) counts.push(Math.min(perBlock, left));
  return counts;
}

function address(value: unknown, path: string): bigint {
  return toFieldInt(value, nextField, path);
}

function roundUp(n: bigint, page: bigint): bigint {
  return n === 0n ? page : ((n + page - 1n) / page) * page;
}

function placeBlockRun(block: Uint8Array, run: ExtraInput, inUse: Uint8Array, entrySize: number, path: string): void {
  if (typeof run !== 'object' || run === null) throw new UsageError('expected { offset, hex }', path);
  const data = run.bytes ?? (typeof run.hex === 'string' && /^([0-9a-f]{2})*$/i.test(run.hex) ? Buffer.from(run.hex, 'hex') : undefined);
  if (!data) throw new UsageError('expected "hex": an even number of hex digits', path);
  const { offset } = run;
  if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < blockHeader.size || offset + data.length > block.length) {
    throw new UsageError(`offset ${JSON.stringify(offset)} with ${data.length} bytes is outside the entries of a ${block.length}-byte block`, path);
  }
  const firstSlot = Math.floor((offset - blockHeader.size) / entrySize);
  const lastSlot = Math.floor((offset + data.length - 1 - blockHeader.size) / entrySize);
  for (let s = firstSlot; s <= lastSlot && s < inUse.length; s++) {
    if (inUse[s]) throw new UsageError(`bytes at ${offset}..${offset + data.length} overlap the in-use entry in slot ${s}; change the device instead`, path);
  }
  block.set(data, offset);
}
