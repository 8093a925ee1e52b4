import { nonZeroRuns } from './decode.js';
import type { ByteRun } from './types.js';
import type { DeviceList } from './device-list.js';
import { blockHeader } from '../block-chain/page-size.js';
import type { BlockChain } from '../block-chain/walk-chain.js';

/**
 * Non-zero bytes of each block page outside its header and its in-use entries
 * (stale free slots, bytes past count), offsets relative to the block; read
 * again from memory one page at a time.
 */
export function blockExtras(chain: BlockChain, devices: DeviceList): ByteRun[][] {
  const { entrySize } = chain;
  const page = new Uint8Array(chain.pageSize);
  const out: ByteRun[][] = [];
  let d = 0;
  for (const b of chain.blocks) {
    chain.memory.readInto(b.address, page);
    const covered: Array<[number, number]> = [[0, blockHeader.size]];
    for (; d < devices.length && devices.indexAt(d) < b.firstIndex + b.stored; d++) {
      const at = blockHeader.size + (devices.indexAt(d) - b.firstIndex) * entrySize;
      const last = covered.at(-1)!;
      if (last[1] === at) last[1] = at + entrySize;
      else covered.push([at, at + entrySize]);
    }
    out.push(nonZeroRuns(page, covered));
  }
  return out;
}
