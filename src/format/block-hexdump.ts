import type { BlockChain } from '../block-chain/walk-chain.js';
import type { DeviceList } from '../codec/device-list.js';
import type { PciAbi } from '../registry.js';
import { blockHeader } from '../block-chain/page-size.js';
import type { HexRow } from './hexdump.js';

/** One block page with its annotated rows (offsets relative to the block). */
export interface BlockDump {
  readonly index: number;
  readonly address: bigint;
  readonly bytes: Uint8Array;
  readonly rows: Iterable<HexRow>;
}

/** Every block of a chain, one page at a time, split into rows: the header fields, each in-use entry, free and unused slots. */
export function* blockRows(chain: BlockChain, devices: DeviceList, layout: PciAbi): Generator<BlockDump> {
  const stride = layout.entry.size;
  let k = 0; // the next in-use entry: devices come in storage order, block after block
  for (let n = 0; n < chain.blocks.length; n++) {
    const b = chain.blocks[n]!;
    const bytes = new Uint8Array(chain.pageSize);
    chain.memory.readInto(b.address, bytes);
    const rows: HexRow[] = blockHeader.fields.map((f) => ({
      offset: f.offset,
      size: f.size,
      label: `kho_block_header_ser.${f.name} = ${f.name === 'next' ? `0x${b.next.toString(16)}` : b.count}`,
      group: 'root' as const,
    }));
    for (let slot = 0; slot < chain.entriesPerBlock; slot++) {
      const offset = blockHeader.size + slot * stride;
      const index = b.firstIndex + slot;
      if (slot < b.stored && k < devices.length && devices.indexAt(k) === index) {
        const d = devices.at(k++)! as unknown as Record<string, number | string>;
        const rest = layout.entry.fields.filter((f) => f.name !== 'domain' && f.name !== 'bdf').map((f) => `${f.name}=${d[f.name]}`).join(' ');
        rows.push({ offset, size: stride, label: `devices[${index}] ${d.address}${rest ? ` ${rest}` : ''}`, group: 'device' });
      } else {
        const stale = bytes.subarray(offset, offset + stride).some((x) => x !== 0) ? ', stale bytes' : '';
        const why = slot < b.stored ? `devices[${index}] free` : `slot ${slot} past count`;
        rows.push({ offset, size: stride, label: `${why}${stale}`, group: slot < b.stored ? 'free' : 'trailing' });
      }
    }
    const end = blockHeader.size + chain.entriesPerBlock * stride;
    if (end < bytes.length) rows.push({ offset: end, size: bytes.length - end, label: 'page tail', group: 'trailing' });
    yield { index: n, address: b.address, bytes, rows };
  }
}
