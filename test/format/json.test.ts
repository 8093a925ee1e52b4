import { describe, expect, it } from 'vitest';
import { jsonChunks, stringifyJson } from '../../src/format/json.js';

describe('stringifyJson', () => {
  it('is JSON that parses back, bigint as decimal strings, undefined dropped from objects and null in arrays', () => {
    const value = { a: 1n << 64n, b: undefined, c: [1, undefined, 'x'], d: { e: [{ f: 1 }, { g: [2] }] }, h: [] as number[], i: {} };
    const text = stringifyJson(value);
    expect(JSON.parse(text)).toEqual({ a: '18446744073709551616', c: [1, null, 'x'], d: { e: [{ f: 1 }, { g: [2] }] }, h: [], i: {} });
  });

  it('puts flat objects on one line and nests the rest', () => {
    expect(stringifyJson({ devices: [{ index: 0, bdf: 8 }], n: 1 })).toBe('{\n  "devices": [\n    { "index": 0, "bdf": 8 }\n  ],\n  "n": 1\n}');
  });

  it('reads an iterable one element at a time, as an array', () => {
    let pulled = 0;
    function* devices() {
      for (let i = 0; i < 3; i++) {
        pulled++;
        yield { index: i };
      }
    }
    const chunks = jsonChunks({ devices: devices() })[Symbol.iterator]();
    chunks.next();
    chunks.next();
    expect(pulled).toBeLessThan(3);
    expect(stringifyJson({ devices: devices() })).toBe(stringifyJson({ devices: [{ index: 0 }, { index: 1 }, { index: 2 }] }));
    expect(stringifyJson({ none: (function* () {})() })).toBe('{\n  "none": []\n}');
  });
});
