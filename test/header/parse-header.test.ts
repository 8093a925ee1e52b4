import { describe, expect, it } from 'vitest';
import { HeaderError } from '../../src/header/header-error.js';
import { parseHeader } from '../../src/header/parse-header.js';

const parse = (text: string) => parseHeader(text, 'x.h');
const layoutOf = (text: string, name: string) => parse(text).structs.find((s) => s.name === name)!.layout;

describe('parseHeader: what it understands', () => {
  it('macros, expressions, arrays sized by macros, attributes, unions and nested structs', () => {
    const h = parse(`
#ifndef _X_H
#define _X_H
#include <linux/types.h>
#define N_SLOTS (2 * 3 + 1)
#define SHIFTED (1 << 4 | 0x3 & ~1)
#define NAME_LEN 8
#define X_COMPATIBLE "x-" "v1"
#define X_VERSION 3
#if X_VERSION > 2 && defined(N_SLOTS)
#define NEW 1
#else
#define OLD 1
#endif
enum { E_A = 5, E_B };
union x_u { u32 a; u64 b; __le16 c[3]; };
struct x_in { u8 t; u32 v; };
struct __attribute__((packed)) x {
	u8 kind;
	union x_u u;
	struct x_in in[N_SLOTS];
	char name[NAME_LEN];
	__be32 tag __aligned(4);
	s16 arr[E_B - E_A + 1], other;
	u64 tail[] __counted_by(kind);
};
struct y { u8 a; u64 b; } __attribute__((aligned(16)));
static_assert(sizeof(struct x) == 86);
_Static_assert(offsetof(struct x, in[2].v) == 9 + 2 * sizeof(struct x_in) + 4, "in[2].v");
static_assert(sizeof(((struct x *)0)->name) == NAME_LEN);
static_assert(__alignof__(struct y) == 16 && sizeof(struct y) == 16);
static_assert(sizeof(union x_u) == 8, "union size");
#endif
`);
    expect(Object.fromEntries(h.defines.map((d) => [d.name, d.value]))).toEqual({
      N_SLOTS: 7n, SHIFTED: 18n, NAME_LEN: 8n, X_COMPATIBLE: 'x-v1', X_VERSION: 3n, NEW: 1n,
    });
    expect(h.staticAsserts.map((a) => a.holds)).toEqual([false, true, true, true, true]);
    expect(h.staticAsserts[1]!.message).toBe('in[2].v');
    const x = h.structs.find((s) => s.name === 'x')!.layout;
    expect(x.fields.map((f) => [f.name, f.offset, f.size])).toEqual([
      ['kind', 0, 1], ['u', 1, 8], ['in', 9, 56], ['name', 65, 8], ['tag', 76, 4], ['arr', 80, 4], ['other', 84, 2], ['tail', 86, 0],
    ]);
    expect([x.size, x.align]).toEqual([88, 4]); // gcc 12, x86-64
    expect(h.structs[0]!.layout).toMatchObject({ union: true, size: 8, align: 8 });
    expect(h.includes).toEqual([{ name: 'linux/types.h', system: true, pos: { file: 'x.h', line: 4, column: 2 }, followed: '<kho-abi prelude>' }]);
  });

  it('keeps kernel-doc per member, in-line member docs and DOC: blocks', () => {
    const h = parse(`
/**
 * DOC: Title here
 *
 * Body text.
 */
/**
 * struct s - A summary.
 * @a: first line
 *     continued.
 * @b:   spaced    out
 *
 * Description.
 */
struct s {
	u32 a;
	/** @c: in-line doc */
	u32 c;
	u32 b;
};`);
    expect(h.docs).toMatchObject([{ title: 'Title here', body: 'Body text.' }]);
    expect(h.structs[0]!.layout.doc).toBe('A summary.');
    expect(h.structs[0]!.layout.fields.map((f) => f.doc)).toEqual(['first line continued.', 'in-line doc', 'spaced out']);
  });

  it('follows an #include only through the resolver', () => {
    const inc = 'struct kho_block_header_ser { u64 next; u64 count; } __packed;\n#define BLK 2\n';
    const text = '#include <linux/kho/abi/block.h>\nstruct s { struct kho_block_header_ser h[2]; u8 n[BLK]; };\n';
    expect(() => parse(text.replace('BLK', '1'))).toThrow(/x.h:2:40: struct kho_block_header_ser is not defined/);
    expect(() => parse('#include <linux/kho/abi/block.h>\nstruct s { u8 n[BLK]; };\n')).toThrow(/x.h:2:17: 'BLK' is not a defined integer macro or enum constant/);
    const h = parseHeader(text, 'x.h', { resolveInclude: (n) => (n === 'linux/kho/abi/block.h' ? { file: 'block.h', text: inc } : undefined) });
    expect(h.structs.map((s) => [s.name, s.layout.size])).toEqual([['s', 34]]);
    expect(h.defines).toEqual([]);
    expect(h.includes[0]!.followed).toBe('block.h');
  });
});

describe('parseHeader: anything else is an error with file:line:column', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['long double member', 'struct s {\n\tlong double d;\n};', /x.h:2:2: long double is not supported/],
    ['__int128 member', 'struct s { unsigned __int128 v; };', /x.h:1:12: unsigned __int128 is not supported/],
    ['unknown type', 'struct s {\n  foo_t a;\n};', /x.h:2:3: unknown type 'foo_t'/],
    ['unknown macro in array', 'struct s { u8 a[FOO_LEN]; };', /x.h:1:17: 'FOO_LEN' is not a defined integer macro or enum constant/],
    ['undefined function-like macro', 'struct s { u8 a[FOO(2)]; };', /x.h:1:17: 'FOO\(…\)' is not a defined function-like macro/],
    ['member macro', 'struct s {\n\tDECLARE_FOO_PTR(next, struct c *);\n};', /x.h:2:2: unknown type 'DECLARE_FOO_PTR' \(a macro that is not defined\?\)/],
    ['struct used before its definition', 'struct s {\n\tstruct later l;\n};\nstruct later { u8 x; };', /x.h:2:15: struct later is not defined before this point/],
    ['bit-field wider than its type', 'struct s { u8 a:9; };', /x.h:1:1: .*width 9 is outside 0..8 for u8/],
    ['bit-field of a struct', 'struct t { u8 x; };\nstruct s { struct t a:3; };', /x.h:2:1: .*a bit-field needs an integer or enum type/],
    ['unknown attribute', 'struct s { u8 a; } __attribute__((randomize_layout));', /x.h:1:35: attribute 'randomize_layout' is not understood/],
    ['bad alignment', 'struct s { u8 a; } __aligned(3);', /x.h:1:20: alignment 3 is not a power of two/],
    ['pragma pack', '#pragma pack(1)\n', /x.h:1:2: #pragma pack changes the layout/],
    ['unterminated comment', 'struct s { u8 a; };\n/* oops', /x.h:2:1: unterminated comment/],
    ['missing endif', '#ifdef X\nstruct s { u8 a; };', /x.h:1:2: unterminated conditional/],
    ['bad #if', '#if 1 +\n#endif', /x.h:1:2: expression ends too early/],
    ['every struct under a branch not taken', '#ifdef CONFIG_S390\nstruct s { u8 a; };\n#endif', /x.h:1:2: every struct of the header is in a conditional branch not taken/],
    ['flexible not last', 'struct s { u8 n; u8 d[]; u8 z; };', /x.h:1:1: .*flexible array member d is not last/],
    ['division by zero', 'static_assert(1 / 0);', /x.h:1:17: division by zero/],
    ['stray character', 'struct s { u8 a; } @;', /x.h:1:20: unexpected character "@"/],
    ['#error', '#error "no"', /x.h:1:2: #error "no"/],
    ['wrong macro arity', '#define F(a, b) a\nstruct s { u8 x[F(1)]; };', /x.h:2:17: macro F takes 2 arguments, given 1/],
  ];
  it.each(cases)('%s', (_name, text, message) => {
    let err: unknown;
    try {
      parse(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(HeaderError);
    expect((err as Error).message).toMatch(message);
  });

  it('lays out what gcc lays out for the cases it accepts', () => {
    expect(layoutOf('struct a { u8 x; u64 y; };', 'a').size).toBe(16);
  });
});
