import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { btfReport, readBtf } from '../../src/btf/index.js';
import { buildBtfObject, scratchDir } from '../helpers/btf-producers.js';

/** The committed BTF objects (README examples) are what gcc -gbtf makes of their sources today. */
const FIXTURES = fileURLToPath(new URL('../../fixtures/btf/', import.meta.url));
const NAMES = ['pci-v2-flat8-max32', 'pci-blk16-v2'];

let dir: string;
beforeAll(() => {
  dir = scratchDir();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('fixtures/btf objects', () => {
  it.each(NAMES)('%s.o reads as a fresh gcc -gbtf build of %s.c', (name) => {
    const fresh = buildBtfObject('gcc -gbtf', join(FIXTURES, `${name}.c`), join(dir, `${name}.o`), ['-std=gnu11', '-I', join(FIXTURES, 'include')]);
    const report = (bytes: Uint8Array) => {
      const { structs, registry } = btfReport(readBtf(bytes));
      return { structs, registry };
    };
    const committed = report(readFileSync(join(FIXTURES, `${name}.o`)));
    expect(committed).toEqual(report(fresh.bytes));
    expect(committed.registry!.ids).toContain(name.replace(/^pci-(v\d)-/, 'pci-$1/').replace(/^pci-blk16/, 'pci/blk16'));
  });
});
