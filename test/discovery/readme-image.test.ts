import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { elfCoreBytes } from '../../src/memory/write-elf-core.js';
import { khoStateChunks, PA } from '../helpers/kho-state.js';

const CORE = fileURLToPath(new URL('../../fixtures/kho-fdt/handover.core', import.meta.url));
const DTB = fileURLToPath(new URL('../../fixtures/kho-fdt/kho-in.dtb', import.meta.url));

/**
 * The README's discovery example: a dump taken after a kexec. The previous kernel's tree
 * (incoming, liveupdate number 3, its FLB table holding the PCI blob), the new kernel's own
 * tree (outgoing, number 4, an empty table: it has not started its kexec) and a stale copy
 * of the incoming page.
 */
function handover(): { core: Uint8Array; dtb: Uint8Array } {
  const incoming = khoStateChunks('luo-ser-v5', { liveupdateNum: 3n });
  const outgoing = khoStateChunks('luo-ser-v5', { liveupdateNum: 4n, kho: 0x90000n, luo: 0x91000n, flb: 0x92000n, flbEntries: [] });
  const stale = { pa: 0xc0000n, bytes: incoming[0]!.bytes };
  return { core: elfCoreBytes([...incoming, ...outgoing.filter((c) => c.pa < PA.pci), stale]), dtb: incoming[0]!.bytes };
}

describe('fixtures/kho-fdt images of the README', () => {
  it('are what the dtc-built trees and our ELF core writer make (KHO_ABI_WRITE_FIXTURES=1 rewrites them)', () => {
    const { core, dtb } = handover();
    if (process.env.KHO_ABI_WRITE_FIXTURES === '1') {
      writeFileSync(CORE, core);
      writeFileSync(DTB, dtb);
    }
    expect(Buffer.from(readFileSync(CORE)).equals(Buffer.from(core)), 'handover.core is stale: KHO_ABI_WRITE_FIXTURES=1 npx vitest run test/discovery/readme-image.test.ts').toBe(true);
    expect(Buffer.from(readFileSync(DTB)).equals(Buffer.from(dtb))).toBe(true);
  });
});
