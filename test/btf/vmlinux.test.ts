import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { btfStructs, readBtfFile } from '../../src/btf/index.js';
import { runCli } from '../cli/run-cli.js';
import { tool } from '../helpers/btf-producers.js';

/** The running kernel's BTF: the real thing, when the machine has it (CONFIG_DEBUG_INFO_BTF). */
const VMLINUX = '/sys/kernel/btf/vmlinux';
const present = existsSync(VMLINUX);
if (!present) console.warn(`SKIPPED: ${VMLINUX} does not exist on this machine (kernel built without CONFIG_DEBUG_INFO_BTF): the vmlinux BTF tests did not run`);

/** Member lines (`type name; /* offset size *\/`, bit-fields `/* off:bit size *\/`), spaces collapsed. */
const memberLines = (text: string) =>
  text
    .split('\n')
    .filter((l) => /^\t+\S.*\/\*\s+\d+(:\s*\d+)?\s+\d+ \*\/$/.test(l))
    .map((l) => l.replace(/\s+/g, ' ').trim());

describe.skipIf(!present)(`${VMLINUX}`, () => {
  it('parses, every record of every kind this kernel emits decodes, and pci_dev lays out', () => {
    const btf = readBtfFile(VMLINUX);
    expect(btf.endId).toBeGreaterThan(10_000);
    const kinds = new Map<string, number>();
    for (let id = btf.firstId; id < btf.endId; id++) {
      const t = btf.type(id);
      kinds.set(t.kind, (kinds.get(t.kind) ?? 0) + 1);
      if (t.kind === 'STRUCT' || t.kind === 'UNION') btf.members(id);
      else if (t.kind === 'ENUM' || t.kind === 'ENUM64') btf.enumerators(id);
      else if (t.kind === 'FUNC_PROTO') btf.params(id);
      else if (t.kind === 'ARRAY') btf.arrayInfo(id);
    }
    console.log(`${VMLINUX}: ${[...kinds].map(([k, n]) => `${k} ${n}`).join(', ')}`);
    expect([...kinds.keys()]).toEqual(expect.arrayContaining(['INT', 'PTR', 'ARRAY', 'STRUCT', 'UNION', 'ENUM', 'TYPEDEF', 'CONST', 'FUNC', 'FUNC_PROTO', 'VAR', 'DATASEC']));
    const layouts = btfStructs(btf, ['pci_dev', 'device', 'task_struct']);
    expect(layouts.get('task_struct')!.size).toBeGreaterThan(1000);
    expect(layouts.get('pci_dev')!.size).toBeGreaterThan(1000);
    expect(layouts.get('pci_dev')!.fields.some((f) => f.bitSize === 1)).toBe(true);
  });

  it('btf --struct pci_dev prints every member as pahole -F btf -C pci_dev does: names, types, offsets, sizes, bit-fields', async () => {
    const ours = await runCli(['btf', VMLINUX, '--struct', 'pci_dev']);
    expect(ours.stderr).toBe('');
    expect(ours.code).toBe(0);
    const pahole = tool('pahole', ['-F', 'btf', VMLINUX, '-C', 'pci_dev'], 'dwarves');
    const theirs = memberLines(pahole);
    expect(theirs.length).toBeGreaterThan(50);
    expect(memberLines(ours.stdout)).toEqual(theirs);
    const size = /size: (\d+), cachelines: \d+, members: (\d+)/;
    expect(size.exec(ours.stdout)!.slice(1)).toEqual(size.exec(pahole)!.slice(1));
  });
});
