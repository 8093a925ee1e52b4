import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { elfCoreBytes } from '../../src/memory/write-elf-core.js';
import { compileDts, khoStateChunks, PA, writeRawDump } from '../helpers/kho-state.js';
import { runCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'kho-abi-inspect-'));
const two = join(dir, 'two.core');
const rawDump = join(dir, 'ram.bin');
const dtb = join(dir, 'kho-out.dtb');
const rest = join(dir, 'rest.core');
const broken = join(dir, 'broken.core');
const empty = join(dir, 'empty.bin');

beforeAll(() => {
  const incoming = khoStateChunks('luo-ser-v5', { liveupdateNum: 3n });
  const outgoing = khoStateChunks('luo-ser-v5', { liveupdateNum: 4n, kho: 0x90000n, luo: 0x91000n, flb: 0x92000n, flbEntries: [] });
  writeFileSync(two, elfCoreBytes([...incoming, ...outgoing.filter((c) => c.pa < PA.pci)]));
  writeRawDump(rawDump, khoStateChunks('luo-fdt'), 4 << 20);
  writeFileSync(dtb, incoming[0]!.bytes);
  writeFileSync(rest, elfCoreBytes(incoming.slice(1)));
  writeFileSync(broken, elfCoreBytes([{ pa: PA.kho, bytes: compileDts('kho-v3-luo-cycle') }]));
  writeRawDump(empty, [{ pa: 0x3000n, bytes: compileDts('boot-chosen') }], 1 << 20);
});

describe('inspect with no address', () => {
  it('prints the path of every tree, best first (a full table before an empty one), its FLB table and PCI devices; exit 0', async () => {
    const r = await runCli(['inspect', '--memory', two]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe(`memory: ${two}: ELF64 core, EM_X86_64 (x86-64), 8 PT_LOAD`);
    expect(lines[1]).toMatch(/^2 KHO trees found by scanning \d+ page starts of .*two\.core, best first$/);
    expect(lines).toContain('#1 KHO FDT @ 0x7f000: "kho-v3" (incoming: liveupdate number 3, one less than the tree at 0x90000)');
    expect(lines).toContain('  luo-ser   0x50000      "luo-v5" struct luo_ser (luo-ser-v5, 32 bytes) <- LUO/preserved-data, liveupdate number 3');
    expect(lines).toContain('  flb-table 0x52000      FLB table (luo-flb) <- luo_ser.flbs_pa');
    expect(lines).toContain('#2 KHO FDT @ 0x90000: "kho-v3" (outgoing: liveupdate number 4, one more than the tree at 0x7f000)');
    expect(r.stdout).toMatch(/\[2\] 10000:00:01\.0 +domain 0x10000 bdf 0x0008 +refcount 1/);
  });

  it('--json: per tree its path, FLB table, each PCI entry as decode --json gives it plus findings', async () => {
    const r = await runCli(['inspect', '--memory', `${rawDump}@0x0`, '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.source).toBe('scan');
    expect(j.pagesScanned).toBe(1024);
    expect(j.others).toEqual([]);
    const [t] = j.trees;
    expect(t.path).toEqual([
      { kind: 'kho-fdt', address: '0x7f000', compatible: 'kho-v1', version: 1, layout: 'kho-fdt', size: expect.any(Number) },
      { kind: 'luo-fdt', address: '0x50000', compatible: 'luo-v1', version: 1, layout: 'luo-fdt', via: 'LUO/fdt', size: expect.any(Number), liveupdateNum: '3' },
      { kind: 'flb-table', address: '0x52000', layout: 'luo-flb', via: 'luo-flb/luo-flb-header' },
    ]);
    expect(t.flbTable).toMatchObject({ address: '0x52000', count: '2', entries: [{ name: 'memfd-v1' }, { name: 'pci', data: '0x100000' }] });
    expect(t.pci).toHaveLength(1);
    expect(t.pci[0]).toMatchObject({ name: 'pci', abi: 'pci/blk16-v1', consistent: true, findings: [], rootAddress: '0x100000' });
    expect(t.pci[0].devices.map((d: { address: string }) => d.address)).toEqual(['0000:3b:00.0', '0000:3b:00.1', '10000:00:01.0']);
    expect(t.findings).toEqual([]);
  });

  it('--kho-fdt FILE (a dtb from debugfs) and --kho-fdt ADDR skip the scan', async () => {
    const f = await runCli(['inspect', '--memory', rest, '--kho-fdt', dtb, '--json']);
    expect(f.code).toBe(0);
    const jf = JSON.parse(f.stdout);
    expect(jf.source).toBe('file');
    expect(jf.trees[0].path[0]).toMatchObject({ kind: 'kho-fdt', file: dtb, compatible: 'kho-v3' });
    expect(jf.trees[0].pci[0].devices).toHaveLength(3);
    const a = await runCli(['inspect', '--memory', two, '--kho-fdt', '0x90000']);
    expect(a.code).toBe(0);
    expect(a.stdout.split('\n')[1]).toBe(`KHO tree given with --kho-fdt, followed into ${two}`);
    expect(a.stdout).toMatch(/LUO FLB table @ 0x92000: pgcnt 1, count 0/);
  });

  it('a broken link is a finding with its rule id, on stderr after the report: exit 1', async () => {
    const r = await runCli(['inspect', '--memory', broken]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${broken}:0x7f0`);
    expect(r.stderr).toMatch(/error\[KHO_FDT_INVALID\]: LUO\/preserved-data = 0x7f000 points back at the KHO tree itself: a cycle/);
    expect(r.stdout).not.toMatch(/error\[/);
  });

  it('no KHO tree in the images, a missing --memory, both addresses, an unreadable dtb: one error line, exit 2', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['inspect', '--memory', `${empty}@0x0`], /^kho-abi: error: no KHO FDT \(root compatible "kho-v\*"\) at any of the 256 page starts of .*; not KHO trees: 0x3000 FDT "linux,dummy-virt"; give --kho-fdt FILE\|ADDR or --flb-table-pa ADDR$/],
      [['inspect'], /^kho-abi: error: inspect needs --memory IMAGE$/],
      [['inspect', '--memory', two, '--kho-fdt', '0x90000', '--flb-table-pa', '0x92000'], /^kho-abi: error: give --flb-table-pa or --kho-fdt, not both$/],
      [['inspect', '--memory', two, '--kho-fdt', join(dir, 'nope.dtb')], /^kho-abi: error: .*nope\.dtb/],
      [['inspect', '--memory', two, '--kho-fdt', '0x7000000'], /^kho-abi: error: the KHO FDT header at 0x7000000 is not in the memory images$/],
      [['inspect', '--memory', two, '--kho-fdt', '/dev/zero'], /^kho-abi: error: --kho-fdt \/dev\/zero: more than 2097152 bytes, larger than any KHO FDT$/],
      [['inspect', '--memory', two, '--kho-fdt', dir], /^kho-abi: error: .*(directory|EISDIR)/],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trimEnd()).toMatch(message);
    }
  });
});

describe('layout of the discovery containers', () => {
  it('shows the FDT properties a reader follows and the luo_ser of each LUO version', async () => {
    const kho = await runCli(['layout', 'kho-fdt']);
    expect(kho.code).toBe(0);
    expect(kho.stdout).toContain(' *   /<entry>  blob-size             u64     bytes of the entry blob; required from kho-v3, absent in the first kho-v2');
    const sizes = await Promise.all(['luo-fdt-abihdr', 'luo-ser-v5', 'luo-ser-kb', 'luo-ser-feat'].map(async (id) => JSON.parse((await runCli(['layout', id, '--json'])).stdout)));
    expect(sizes.map((j) => j.structs.find((s: { name: string }) => s.name === 'luo_ser').size)).toEqual([24, 32, 48, 152]);
    expect(JSON.parse((await runCli(['layout', 'luo-fdt', '--json'])).stdout).fdt).toContainEqual({ node: 'luo-flb', name: 'luo-flb-header', type: 'u64', doc: 'PA of the FLB table (struct luo_flb_header_ser)' });
  });
});
