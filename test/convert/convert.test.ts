import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decode } from '../../src/codec/decode.js';
import { encode } from '../../src/codec/encode.js';
import { convert } from '../../src/convert/convert.js';
import { runCli } from '../cli/run-cli.js';
import { makeBlob } from '../validate/blob.js';

const fixture = (dir: string, name: string) => new Uint8Array(readFileSync(new URL(`../../fixtures/${dir}/${name}`, import.meta.url)));
const addresses = (bytes: Uint8Array, abi: string) => [...decode(bytes, abi).devices!].map((d) => d.address).sort();

describe('convert between flat layouts', () => {
  it('sorted u64 counts -> slots u32 counts -> back, same device set', () => {
    const v3 = fixture('pci-v1__flat8-max64', 'sorted-vmd.bin');
    const slots = convert(v3, 'pci-v1/flat8-max64', 'pci-v2/flat8-max32');
    expect(slots.findings).toEqual([]);
    expect(addresses(slots.bytes!, 'pci-v2/flat8-max32')).toEqual(addresses(v3, 'pci-v1/flat8-max64'));
    const back = convert(slots.bytes!, 'pci-v2/flat8-max32', 'pci-v1/flat8-max64');
    expect(addresses(back.bytes!, 'pci-v1/flat8-max64')).toEqual(addresses(v3, 'pci-v1/flat8-max64'));
  });

  it('slots -> sorted sorts by domain << 16 | bdf', () => {
    const blob = encode({ root: { max_nr_devices: 4, nr_devices: 2 }, devices: [{ index: 0, domain: 1, bdf: 8, refcount: 1 }, { index: 3, domain: 0, bdf: 0x300, refcount: 1 }] }, 'pci-v2/flat8-max32');
    const out = convert(blob, 'pci-v2/flat8-max32', 'pci-v1/flat4-nomax');
    expect([...decode(out.bytes!, 'pci-v1/flat4-nomax').devices!].map((d) => d.address)).toEqual(['0000:03:00.0', '0001:00:01.0']);
  });

  const refusals: Array<[string, () => ReturnType<typeof convert>, string]> = [
    ['domain > 0xffff into u16', () => convert(fixture('pci-v1__flat8-max64', 'sorted-vmd.bin'), 'pci-v1/flat8-max64', 'pci-v1/flat4-max64'), 'CONVERT_DOMAIN_TOO_WIDE'],
    ['more devices than --max', () => convert(fixture('pci-v1__flat8-max64', 'sorted-vmd.bin'), 'pci-v1/flat8-max64', 'pci-v2/flat8-max32', { max: 2 }), 'CONVERT_TOO_MANY_DEVICES'],
    ['hierarchical refcounts into 0/1', () => convert(fixture('pci-v3__flat8-max32', 'bridges.bin'), 'pci-v3/flat8-max32', 'pci-v2/flat8-max32'), 'CONVERT_REFCOUNT_HIERARCHICAL'],
    ['devices into the skeleton', () => convert(fixture('pci-v3__flat8-max32', 'bridges.bin'), 'pci-v3/flat8-max32', 'pci-v1/flat8-max32'), 'CONVERT_TARGET_SKELETON'],
  ];
  it.each(refusals)('refuses %s', (_name, run, rule) => {
    const r = run();
    expect(r.bytes).toBeUndefined();
    expect(r.findings.map((f) => f.rule)).toContain(rule);
  });

  it('CLI: writes atomically, exit 1 on a refusal, flat <-> block chain through an ELF core', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kho-convert-'));
    const src = new URL('../../fixtures/pci-v1__flat8-max64/sorted-vmd.bin', import.meta.url).pathname;
    const ok = await runCli(['convert', src, '--from', 'pci-v1/flat8-max64', '--to', 'pci-v3/flat8-max32', '-o', join(dir, 'out.bin')]);
    expect(ok).toMatchObject({ code: 0 });
    expect(readFileSync(join(dir, 'out.bin')).length).toBe(8 + 15 * 8);
    const no = await runCli(['convert', src, '--from', 'pci-v1/flat8-max64', '--to', 'pci-v1/flat4-nomax', '-o', join(dir, 'no.bin')]);
    expect(no.code).toBe(1);
    expect(no.stderr).toMatch(/error\[CONVERT_DOMAIN_TOO_WIDE\]: 10000:00:01.0/);
    const core = join(dir, 'v9.core');
    const blk = await runCli(['convert', src, '--from', 'pci-v1/flat8-max64', '--to', 'pci/blk16-v1', '-o', core, '--out-root-pa', '0x200000', '--out-blocks-pa', '0x100000000']);
    expect(blk).toMatchObject({ code: 0, stdout: `${core}: 6 devices as pci/blk16-v1 (12288-byte ELF core)\n` });
    const valid = await runCli(['validate', '--memory', core, '--root-pa', '0x200000', '--abi', 'pci/blk16-v1']);
    expect(valid.code).toBe(0);
    const back = join(dir, 'back.bin');
    expect((await runCli(['convert', '--memory', core, '--root-pa', '0x200000', '--from', 'pci/blk16-v1', '--to', 'pci-v1/flat8-max64', '-o', back, '--max', '15'])).code).toBe(0);
    expect(addresses(new Uint8Array(readFileSync(back)), 'pci-v1/flat8-max64')).toEqual(addresses(fixture('pci-v1__flat8-max64', 'sorted-vmd.bin'), 'pci-v1/flat8-max64'));
    const root = join(dir, 'root.bin');
    writeFileSync(root, makeBlob('pci/blk16-v1', { root: { version: 1, nr_devices: 6, devices: 0x101000 } }));
    const noImage = await runCli(['convert', root, '--from', 'pci/blk16-v1', '--to', 'pci-v3', '-o', join(dir, 'x.bin')]);
    expect(noImage.code).toBe(2);
    expect(noImage.stderr).toMatch(/warning\[CHAIN_NOT_CHECKED\][^]*KHO block chain: pass the memory image/);
    const coreAsRoot = await runCli(['convert', core, '--from', 'pci/blk16-v1', '--to', 'pci-v3', '-o', join(dir, 'x.bin')]);
    expect(coreAsRoot.code).toBe(1);
    expect(coreAsRoot.stderr).toMatch(/error\[VERSION_MISMATCH\][^]*is not a valid pci\/blk16-v1 blob: not converted/);
    expect(existsSync(join(dir, 'x.bin'))).toBe(false);
    const hier = await runCli(['convert', new URL('../../fixtures/pci-v3__flat8-max32/bridges.bin', import.meta.url).pathname, '--from', 'pci-v3/flat8-max32', '--to', 'pci/blk16-v1', '-o', join(dir, 'h.core')]);
    expect(hier.code).toBe(1);
    expect(hier.stderr).toMatch(/CONVERT_REFCOUNT_HIERARCHICAL/);
  });
});
