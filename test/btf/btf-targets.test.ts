import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { btfStructs, readBtf, type Btf } from '../../src/btf/index.js';
import { staticAsserts } from '../helpers/btf-asserts.js';
import { scratchDir, tool } from '../helpers/btf-producers.js';

/**
 * ELF32 and ELF64 of either byte order, from real producers: gcc -m32 -gbtf (ELF32 LE, i386
 * rules: u64 4-byte aligned), clang --target=bpfeb (ELF64 BE), clang for armeb + pahole -J
 * (ELF32 BE). The i386 layouts are checked by gcc -m32; the big-endian ones must equal the same
 * source built for the little-endian twin target.
 */
const SOURCE = fileURLToPath(new URL('../../fixtures/btf/layouts.c', import.meta.url));
const STRUCTS = ['plain_ser', 'packed_ser', 'aligned_ser', 'packed_aligned_ser', 'bits_ser', 'packed_bits_ser', 'unions_ser', 'arrays_ser', 'pointers_ser', 'types_ser', 'kho_root_ser'];

let dir: string;
beforeAll(() => {
  dir = scratchDir();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function build(cc: string, args: string[], name: string, pahole = false, source = SOURCE): Btf {
  const out = join(dir, `${name}.o`);
  tool(cc, [...args, '-c', source, '-o', out], cc === 'gcc' ? 'gcc' : 'clang');
  if (pahole) tool('pahole', ['-J', '--btf_gen_floats', out], 'dwarves');
  return readBtf(readFileSync(out), { file: name });
}

describe('BTF of other targets', () => {
  it('ELF32 little-endian (gcc -m32 -gbtf, i386): every layout as gcc -m32 computes it, 4-byte pointers', () => {
    const btf = build('gcc', ['-m32', '-gbtf'], 'i386');
    expect(btf.pointerSize).toBe(4);
    const layouts = btfStructs(btf, STRUCTS);
    expect(layouts.get('plain_ser')).toMatchObject({ size: 20, align: 4 });
    const asserts = [...layouts].flatMap(([name, s]) => staticAsserts(name, s, 'c-or-reversed', new Set(['kho_root_ser'])));
    const file = join(dir, 'i386-asserts.c');
    writeFileSync(file, `#include <stddef.h>\n#include ${JSON.stringify(SOURCE)}\n${asserts.join('\n')}\n`);
    tool('gcc', ['-m32', '-std=gnu11', '-c', file, '-o', join(dir, 'i386-asserts.o')], 'gcc (with gcc-multilib for -m32)');
  });

  it('ELF64 big-endian (clang --target=bpfeb -g): the same layouts as bpfel', () => {
    const be = build('clang', ['--target=bpfeb', '-g'], 'bpfeb');
    const le = build('clang', ['--target=bpfel', '-g'], 'bpfel');
    expect(be.littleEndian).toBe(false);
    expect(le.littleEndian).toBe(true);
    expect(btfStructs(be, STRUCTS)).toEqual(btfStructs(le, STRUCTS));
  });

  it('ELF32 big-endian (clang armeb -g + pahole -J): the same layouts as arm little-endian', () => {
    const be = build('clang', ['--target=armeb-linux-gnueabi', '-g'], 'armeb', true);
    const le = build('clang', ['--target=arm-linux-gnueabi', '-g'], 'arm', true);
    expect(be.littleEndian).toBe(false);
    expect(be.pointerSize).toBe(4);
    const layouts = btfStructs(be, STRUCTS);
    expect(layouts).toEqual(btfStructs(le, STRUCTS));
    expect(layouts.get('plain_ser')).toMatchObject({ size: 24, align: 8 });
  });

  it('declaration and type tags (clang --target=bpf): read, and transparent to layouts and type names', () => {
    const source = join(dir, 'tags.c');
    writeFileSync(source, `#define __tag __attribute__((btf_decl_tag("kho")))
#define __user __attribute__((btf_type_tag("user")))
struct tagged_ser { int a __tag; int __user *p; unsigned long long d; } __tag;
struct tagged_ser t;
int use(struct tagged_ser *x __tag) { return x->a; }
`);
    const btf = build('clang', ['--target=bpf', '-g'], 'tags', false, source);
    const kinds = new Set(Array.from({ length: btf.endId - 1 }, (_, i) => btf.type(i + 1).kind));
    expect([...kinds]).toEqual(expect.arrayContaining(['DECL_TAG', 'TYPE_TAG', 'FUNC', 'FUNC_PROTO', 'VAR', 'DATASEC']));
    const s = btfStructs(btf, ['tagged_ser']).get('tagged_ser')!;
    expect(s.fields.map((f) => [f.name, f.type, f.kind, f.offset, f.size])).toEqual([
      ['a', 'int', 'int', 0, 4],
      ['p', 'int *', 'pointer', 8, 8],
      ['d', 'unsigned long long', 'int', 16, 8],
    ]);
  });
});

