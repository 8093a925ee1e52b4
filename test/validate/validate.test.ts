import { describe, expect, it, vi } from 'vitest';
import { DeviceList } from '../../src/codec/device-list.js';
import { abis, decode } from '../../src/index.js';
import { CheckContext } from '../../src/validate/context.js';
import { rules, rulesFor, validate } from '../../src/validate/index.js';
import { dev, makeBlob } from './blob.js';

describe('validate', () => {
  it('is valid with warnings, invalid with --strict', () => {
    const bytes = makeBlob('pci-v1/flat4-nomax', { root: { nr_devices: 1 }, slots: [dev(0, 1, 0, 0)], size: 16, poke: [[14, 1]] });
    expect(validate(bytes, 'pci-v1/flat4-nomax')).toEqual({
      valid: true,
      findings: [{ rule: 'TRAILING_NONZERO', severity: 'warning', offset: 14, length: 1, message: 'non-zero bytes at 0xe..0xe, after the 12 bytes the root accounts for' }],
    });
    expect(validate(bytes, 'pci-v1/flat4-nomax', { strict: true }).valid).toBe(false);
  });

  it('turns a truncated blob into findings, never an exception', () => {
    const r = validate(new Uint8Array(3), 'pci-v3/flat8-max32');
    expect(r.valid).toBe(false);
    expect(r.findings.map((f) => f.rule)).toEqual(['BLOB_TRUNCATED']);
  });

  it('keeps maxPerRule findings of a rule and counts the rest in one, last', () => {
    const slots = Array.from({ length: 30 }, (_, i) => dev(0, 30 - i, 0, 0));
    const bytes = makeBlob('pci-v1/flat4-nomax', { root: { nr_devices: 30 }, slots });
    const r = validate(bytes, 'pci-v1/flat4-nomax', { maxPerRule: 5 });
    expect(r.findings).toHaveLength(6);
    expect(r.findings.at(-1)).toEqual({ rule: 'ENTRIES_UNSORTED', severity: 'error', message: '24 more findings of this rule not shown (29 in all)', folded: 24 });
    expect(validate(bytes, 'pci-v1/flat4-nomax', { maxPerRule: 0 }).findings).toHaveLength(29);
  });

  it('sorts findings by offset', () => {
    const bytes = makeBlob('pci-v2/flat8-max32', { root: { max_nr_devices: 2, nr_devices: 1 }, slots: [dev(0, 1, 0, 0, { refcount: 2 }), dev(0, 1, 0, 0, { refcount: 1 })] });
    expect(validate(bytes, 'pci-v2/flat8-max32').findings.map((f) => [f.rule, f.offset])).toEqual([
      ['NR_MISMATCH', 4],
      ['REFCOUNT_NOT_ONE', 14],
      ['DUPLICATE_DEVICE', 16],
    ]);
  });

  it('reads the entry columns once per blob, however many rules report on entries', () => {
    const slots = [dev(0, 2, 0, 0, { refcount: 2 }), dev(0, 1, 0, 0, { refcount: 1 }), dev(0, 1, 0, 0, { refcount: 3 })];
    const bytes = makeBlob('pci-v2/flat8-max32', { root: { max_nr_devices: 3, nr_devices: 3 }, slots });
    const columns = vi.spyOn(DeviceList.prototype, 'columns');
    const column = vi.spyOn(DeviceList.prototype, 'column');
    try {
      const rules = new Set(validate(bytes, 'pci-v2/flat8-max32').findings.map((f) => f.rule));
      expect(rules).toEqual(new Set(['DUPLICATE_DEVICE', 'REFCOUNT_NOT_ONE']));
      expect(columns).toHaveBeenCalledTimes(1);
      expect(column).not.toHaveBeenCalled();
    } finally {
      columns.mockRestore();
      column.mockRestore();
    }
  });

  it('refuses an unknown id as a usage error', () => {
    expect(() => validate(new Uint8Array(8), 'pci-v9' as string)).toThrow(/unknown ABI id/);
  });

  it('gives every rule a doc line and applies at least BLOB_TRUNCATED everywhere', () => {
    for (const r of rules) expect(r.doc).toMatch(/\.$/);
    for (const a of abis) expect(rulesFor(a)[0]!.id).toBe('BLOB_TRUNCATED');
  });

  it('counts slots exactly as decode does', () => {
    for (const a of abis.filter((x) => x.storage === 'inline')) {
      for (const [nr, max] of [[0, 0], [2, 3], [3, 2]] as const) {
        const root = { nr_devices: nr, ...(a.roles.max ? { max_nr_devices: max } : {}) };
        const bytes = makeBlob(a.id, { root, size: 4096 });
        expect(new CheckContext(a, bytes).slots, a.id).toBe(decode(bytes, a.id).slots);
      }
    }
  });
});
