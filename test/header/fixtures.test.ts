import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseHeader } from '../../src/header/parse-header.js';
import { headerVersion, registryMatches } from '../../src/header/registry-match.js';
import { layoutFingerprint } from '../../src/layout/fingerprint.js';
import { abis } from '../../src/registry.js';

const fixture = (id: string) => new URL(`../../fixtures/headers/${id.replace('/', '-')}.h`, import.meta.url);

describe('every registry layout has a header fixture that parses to exactly it', () => {
  it.each(abis.map((a) => [a.id, a] as const))('%s', (_id, abi) => {
    const path = fixture(abi.id);
    const h = parseHeader(readFileSync(path, 'utf8'), path.pathname);
    const layouts = h.structs.map((s) => s.layout);
    expect(layoutFingerprint(layouts)).toBe(abi.fingerprint);
    expect(layouts.map((s) => [s.name, s.fields.map((f) => [f.name, f.offset, f.size, f.type])])).toEqual(
      abi.structs.map((s) => [s.name, s.fields.map((f) => [f.name, f.offset, f.size, f.type])]),
    );
    expect(h.compatible.map((d) => d.value)).toEqual([abi.compatible]);
    expect(headerVersion(h)).toBe(abi.version ?? null);
    expect(h.staticAsserts.every((a) => a.holds)).toBe(true);
    expect(registryMatches(h)[0]).toBe(abi.id);
    for (const s of abi.structs) {
      const hs = h.structs.find((x) => x.name === s.name)!;
      expect(hs.layout.fields.map((f) => f.doc)).toEqual(s.fields.map((f) => f.doc));
    }
  });
});
