import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { POSITION_MASK } from '../../src/codec/column-source.js';
import { plausibleBytesArb } from '../../src/fuzz/arbitraries.js';
import type { FieldLayout } from '../../src/layout/engine.js';
import { abis, type PciAbi } from '../../src/registry.js';
import { CheckContext } from '../../src/validate/context.js';
import { DomainBitsets } from '../../src/validate/duplicates.js';
import type { EntryFacts, Rule } from '../../src/validate/rule.js';
import { rulesFor } from '../../src/validate/rules-for.js';
import { planOf } from '../../src/validate/layout-plan.js';
import { numRuns } from '../property/runs.js';

const inline = abis.filter((a) => a.storage === 'inline');
const scanning = (abi: PciAbi) => rulesFor(abi).filter((r) => r.scan);

/** An unsigned field of up to 4 bytes through DataView (not the library's integer reader). */
function viewRead(view: DataView, at: number, f: FieldLayout): number {
  const le = !f.bigEndian;
  if (f.size === 1) return view.getUint8(at);
  if (f.size === 2) return view.getUint16(at, le);
  if (f.size === 4) return view.getUint32(at, le);
  throw new Error(`no ${f.size}-byte field in a scan`);
}

/**
 * The scan's counts the slow way: every entry's values read through DataView, and each rule's
 * condition evaluated on them as a plain function, one entry at a time.
 */
function reference(abi: PciAbi, bytes: Uint8Array, nr: number, slots: number, bitsets?: DomainBitsets) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const { roles } = abi;
  const names = ['i', 'domain', 'bdf', 'refcount', 'reserved', 'key', 'prev', 'nonZero', 'bitsets'];
  const conditions = new Map(scanning(abi).map((r) => [r, new Function(...names, `return (${r.scan!.counts});`)] as const));
  const counts = new Map<Rule, number>([...conditions.keys()].map((r) => [r, 0]));
  let inUse = 0;
  let prev = -1;
  for (let i = 0; i < slots; i++) {
    const at = roles.devices.offset + i * abi.entry.size;
    const value = (f: FieldLayout | undefined) => (f ? viewRead(view, at + f.offset, f) : 0);
    const refcount = value(roles.refcount);
    const used = abi.semantics === 'sorted' ? i < nr : abi.semantics === 'skeleton' ? false : refcount !== 0;
    const domain = value(roles.domain);
    const bdf = value(roles.bdf);
    const nonZero = bytes.subarray(at, at + abi.entry.size).some((b) => b !== 0);
    const args = [i, domain, bdf, refcount, value(roles.reserved), domain * 65536 + bdf, prev, nonZero, bitsets];
    for (const [rule, condition] of conditions) if ((rule.scan!.over === 'in-use') === used && condition(...args)) counts.set(rule, counts.get(rule)! + 1);
    if (used) {
      inUse++;
      prev = domain * 65536 + bdf;
    }
  }
  return { inUse, counts };
}

describe('the fast scan (src/validate/scan.ts)', () => {
  it.each(inline.map((a) => [a.id, a] as const))('%s: counts what each rule declares, as a slow reading of the same conditions does', (_id, abi) => {
    fc.assert(
      fc.property(plausibleBytesArb(abi), (bytes) => {
        const ctx = new CheckContext(abi, bytes);
        fc.pre(!ctx.truncated);
        const want = reference(abi, bytes, Number(ctx.nr), ctx.slots);
        // count (positions masked, blobs up to 1 GiB) and countLarge (the loop for larger blobs) alike.
        for (const count of [planOf(abi).scan.count, planOf(abi).scan.countLarge]) {
          const facts = count(bytes, ctx.nr!, ctx.slots);
          expect(facts.inUse).toBe(want.inUse);
          for (const [rule, n] of want.counts) expect(facts.counted(rule), rule.id).toBe(n);
        }
      }),
      { numRuns },
    );
  });

  it.each(inline.map((a) => [a.id, a] as const))('%s: the facts hold each count as a property named by its rule (what the runner reads), none for a rule without a scan', (_id, abi) => {
    const bytes = new Uint8Array(abi.root.size);
    const facts = planOf(abi).scan.count(bytes, 0, 0) as unknown as Record<string, unknown> & EntryFacts;
    for (const rule of rulesFor(abi)) {
      expect(facts.counted(rule), rule.id).toBe(rule.scan ? 0 : undefined);
      expect(facts[rule.id], rule.id).toBe(rule.scan ? 0 : undefined);
    }
    expect(Object.keys(facts)).toEqual(['inUse', ...scanning(abi).map((r) => r.id)]);
  });

  it('gives large blobs the bitsets, and counts a repeat through them', () => {
    const abi = abis.find((a) => a.id === 'pci-v2/flat8-max32')!;
    const slots = 5000;
    const bytes = new Uint8Array(abi.roles.devices.offset + slots * abi.entry.size);
    const view = new DataView(bytes.buffer);
    view.setUint32(abi.roles.max!.offset, slots, true);
    view.setUint32(abi.roles.nr.offset, slots, true);
    for (let i = 0; i < slots; i++) {
      const at = abi.roles.devices.offset + i * abi.entry.size;
      view.setUint16(at + abi.roles.bdf.offset, (i * 7919) % 4999, true);
      view.setUint16(at + abi.roles.refcount!.offset, 1, true);
    }
    const duplicate = rulesFor(abi).find((r) => r.id === 'DUPLICATE_DEVICE')!;
    expect(planOf(abi).scan.count(bytes, slots, slots).counted(duplicate)).toBe(reference(abi, bytes, slots, slots, new DomainBitsets()).counts.get(duplicate));
    expect(planOf(abi).scan.count(bytes, slots, slots).counted(duplicate)).toBe(1);
  });

  it.each(inline.map((a) => [a.id, a] as const))('%s: the compiled loop is readable: one counter per scanning rule, its condition as written', (_id, abi) => {
    const source = planOf(abi).scan.source;
    for (const rule of scanning(abi)) {
      expect(source).toContain(`${rule.id} = 0`);
      expect(source).toContain(`if (${rule.scan!.counts}) ${rule.id}++;`);
    }
    expect(source).not.toMatch(/\b(dOff|rOff|zOff)\b/);
    expect(source).toContain(`const at = next & 0x${POSITION_MASK.toString(16)};`);
    if (!abi.roles.refcount) expect(source).toContain('const refcount = 0;');
  });

  it('src/validate/rules/index.ts and src/rule-ids.ts are what the files in src/validate/rules/ give', () => {
    expect(() => execFileSync(process.execPath, ['scripts/gen-rule-index.mjs', '--check'], { stdio: 'pipe' })).not.toThrow();
  });
});
