import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { JsonArrayText, parseJsonObject } from '../../src/codec/json-text.js';
import { UsageError } from '../../src/index.js';

const utf8 = (s: string) => new TextEncoder().encode(s);
const LAZY = new Set(['devices', 'extra']);

/** The parsed object with its lazy arrays read out, to compare with JSON.parse. */
function expanded(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, v instanceof JsonArrayText ? [...v] : v]));
}

function usageError(run: () => unknown): UsageError {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return e as UsageError;
  }
  throw new Error('expected a UsageError');
}

describe('parseJsonObject', () => {
  const objectArb = fc.dictionary(fc.oneof(fc.constantFrom('devices', 'extra', 'root', '__proto__', 'a"b', 'ü'), fc.string()), fc.jsonValue());
  test.prop([objectArb, fc.constantFrom(undefined, 0, 2, '\t')])('reads what JSON.parse reads, lazy arrays element by element', (value, indent) => {
    const text = JSON.stringify(value, null, indent);
    const parsed = parseJsonObject(utf8(text), LAZY);
    expect(expanded(parsed)).toEqual(JSON.parse(text));
    expect(Object.keys(parsed)).toEqual(Object.keys(JSON.parse(text)));
  });

  it('leaves only the named arrays lazy, and reads them again on each iteration', () => {
    const parsed = parseJsonObject(utf8('\ufeff{ "root": [1], "devices": [ {"a": 1}, [2, "]"], "x,}" ] , "extra": null }'), LAZY);
    expect(parsed.root).toEqual([1]);
    expect(parsed.extra).toBeNull();
    expect(parsed.devices).toBeInstanceOf(JsonArrayText);
    expect([...(parsed.devices as JsonArrayText)]).toEqual([{ a: 1 }, [2, ']'], 'x,}']);
    expect([...(parsed.devices as JsonArrayText)]).toHaveLength(3);
    expect(parseJsonObject(utf8('{"devices": [], "b": {}}'), LAZY)).toMatchObject({ b: {} });
    expect(parseJsonObject(utf8(' [1, 2] '), LAZY)).toEqual([1, 2]);
  });

  it('keeps __proto__ and duplicate keys as JSON.parse does', () => {
    const text = '{"__proto__": {"x": 1}, "k": 1, "k": 2}';
    const parsed = parseJsonObject(utf8(text), LAZY);
    expect(Object.keys(parsed)).toEqual(['__proto__', 'k']);
    expect(parsed.k).toBe(2);
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
  });

  it.each([
    ['{"a" 1}', /expected ':' at byte 5/],
    ['{"a": 1 "b": 2}', /expected ',' or '}' at byte 8/],
    ['{"a": 1,}', /expected a key at byte 8/],
    ['{"a": 1} x', /expected the end of the text at byte 9/],
    ['{"a": tru}', /not JSON \(.*\) at byte 6/],
    ['{"a": [1, 2}', /not JSON/],
    ['{"a": 1', /expected ',' or '}' at byte 7, found the end of the text/],
    ['', /not JSON/],
  ])('refuses %j with the byte where it went wrong', (text, message) => {
    expect(usageError(() => parseJsonObject(utf8(text), LAZY)).message).toMatch(message);
  });

  it.each([
    ['{"devices": [1,]}', /devices\[0\]: not JSON|expected/],
    ['{"devices": [1 2]}', /expected ',' or ']'/],
    ['{"devices": [{"a": }]}', /not JSON/],
  ])('refuses a bad element of a lazy array %j when it is read, with its index', (text, message) => {
    const parsed = parseJsonObject(utf8(text), LAZY);
    const err = usageError(() => [...(parsed.devices as JsonArrayText)]);
    expect(err.message).toMatch(message);
    expect(err.path).toMatch(/^devices\[\d\]$/);
  });
});
