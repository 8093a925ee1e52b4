import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { btfStructs, readBtf } from '../../src/btf/index.js';
import type { StructLayout } from '../../src/layout/engine.js';
import { bitProbe, staticAsserts } from '../helpers/btf-asserts.js';
import { buildBtfObject, scratchDir, tool, type BtfProducer } from '../helpers/btf-producers.js';

/**
 * The compiler is the reference: fixtures/btf/layouts.c is built by each real BTF producer, read
 * back by the reader, and every size, offset, member size, array element size, alignment and
 * bit-field position is checked by gcc itself (_Static_assert, and a probe program for bits).
 */
const SOURCE = fileURLToPath(new URL('../../fixtures/btf/layouts.c', import.meta.url));
const STRUCTS = [
  'plain_ser', 'packed_ser', 'natural_packed_ser', 'aligned_ser', 'packed_aligned_ser', 'bits_ser', 'packed_bits_ser',
  'id_ser', 'unions_ser', 'arrays_ser', 'pointers_ser', 'types_ser', 'kho_dev_ser', 'kho_root_ser',
];
/**
 * BTF records no alignment: a __packed struct whose members all sit at natural offsets reads
 * as unpacked (same bytes, but _Alignof 1 in C). Its alignment is not checked.
 */
const ALIGN_UNKNOWABLE = new Set(['natural_packed_ser', 'kho_dev_ser', 'kho_root_ser']);
const PRODUCERS: BtfProducer[] = ['gcc -gbtf', 'gcc -g + pahole -J', 'clang --target=bpf -g'];

describe.each(PRODUCERS)('BTF from %s matches the compiler', (producer) => {
  let layouts: Map<string, StructLayout>;
  let dir: string;
  beforeAll(() => {
    dir = scratchDir();
    const { bytes } = buildBtfObject(producer, SOURCE, join(dir, 'layouts.o'));
    layouts = btfStructs(readBtf(bytes, { file: 'layouts.o' }), STRUCTS);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads every struct of the source', () => {
    expect([...layouts.keys()]).toEqual(STRUCTS);
  });

  it('has the sizes, alignments, offsets, member and element sizes gcc computes (_Static_assert)', () => {
    const order = producer === 'gcc -g + pahole -J' ? 'flat' : producer === 'gcc -gbtf' ? 'c-or-reversed' : 'c';
    const asserts = [...layouts].flatMap(([name, s]) => staticAsserts(name, s, order, ALIGN_UNKNOWABLE));
    const file = join(dir, 'asserts.c');
    writeFileSync(file, `#include <stddef.h>\n#include ${JSON.stringify(SOURCE)}\n${asserts.join('\n')}\n`);
    tool('gcc', ['-std=gnu11', '-c', file, '-o', join(dir, 'asserts.o')], 'gcc');
    expect(asserts.length).toBeGreaterThan(150);
  });

  it('places every bit-field where gcc puts its bits', () => {
    const { source, expected } = bitProbe(layouts, SOURCE);
    const file = join(dir, 'probe.c');
    writeFileSync(file, source);
    tool('gcc', ['-std=gnu11', '-w', file, '-o', join(dir, 'probe')], 'gcc');
    const got = tool(join(dir, 'probe'), [], 'gcc').trim().split('\n');
    expect(got).toEqual(expected);
    expect(expected.length).toBe(11);
  });

  it('keeps the model: kinds, signedness, byte order, typedef names, packing', () => {
    const field = (s: string, f: string) => layouts.get(s)!.fields.find((x) => x.name === f)!;
    expect(field('types_ser', 'be_chained')).toMatchObject({ type: 'be_chain2_t', kind: 'int', bigEndian: true, signed: false });
    expect(field('types_ser', 'sl')).toMatchObject({ kind: 'int', signed: true, size: 8 });
    expect(field('types_ser', 'c')).toMatchObject({ kind: 'char', size: 1 });
    expect(field('types_ser', 'st')).toMatchObject({ kind: 'enum', type: 'enum kho_state', size: 4 });
    expect(field('types_ser', 'wide')).toMatchObject({ kind: 'enum', size: 8 });
    expect(field('types_ser', 'd')).toMatchObject({ kind: 'float', size: 8 });
    expect(field('types_ser', 'cv').type).toMatch(/^(volatile const|const volatile) u32$/);
    expect(field('pointers_ser', 'one')).toMatchObject({ kind: 'pointer', type: 'struct plain_ser *', size: 8 });
    expect(field('pointers_ser', 'fn').type).toBe('void (*)(int, char *)');
    expect(field('kho_root_ser', 'devices')).toMatchObject({ flexible: true, count: 0, size: 0, elementSize: 8, type: 'struct kho_dev_ser' });
    expect(field('unions_ser', 'ids')).toMatchObject({ count: 3, elementSize: 4, type: 'union id_ser' });
    expect(layouts.get('id_ser')!.union).toBe(true);
    expect(layouts.get('packed_ser')!.packed).toBe(true);
    expect(layouts.get('packed_bits_ser')!.packed).toBe(true);
    expect(layouts.get('plain_ser')!.packed).toBe(false);
    expect(layouts.get('packed_aligned_ser')).toMatchObject({ packed: true, aligned: 4, align: 4 });
    expect(layouts.get('aligned_ser')).toMatchObject({ aligned: 16, size: 16 });
    const anon = layouts.get('unions_ser')!.fields.filter((f) => f.name === '');
    expect(anon.map((f) => [f.type, f.offset, f.size])).toEqual([['union', 4, 4], ['struct', 24, 4]]);
  });
});
