import type { FieldLayout, StructLayout } from '../../src/layout/engine.js';

/**
 * C checks of BTF layouts by the compiler itself: _Static_asserts on every size, alignment,
 * offset, member and element size, and a probe program that finds each bit-field's bits.
 */
interface Member {
  /** The C member designator from the struct: `a`, `named_anon.p`, `w` (anonymous members flatten). */
  readonly path: string;
  readonly field: FieldLayout;
  /** Offset of the inline struct the member is in. */
  readonly base: number;
}

/** Every member reachable by name from a struct: through anonymous members, and into inline (anonymous-typed) named ones. */
function members(s: StructLayout, prefix = '', base = 0): Member[] {
  return s.fields.flatMap((f) => {
    const path = f.name ? `${prefix}${f.name}` : prefix.replace(/\.$/, '');
    const inline = f.struct && f.struct.name === '' && f.count === undefined;
    const self = f.name ? [{ path, field: f, base }] : [];
    return inline ? [...self, ...members(f.struct!, f.name ? `${path}.` : prefix, base + f.offset)] : self;
  });
}

/** _Static_assert lines for one struct; `alignUnknowable` names structs whose alignment BTF cannot record. */
export function staticAsserts(name: string, s: StructLayout, dimsOrder: 'c' | 'c-or-reversed' | 'flat', alignUnknowable: ReadonlySet<string>): string[] {
  const tag = `${s.union ? 'union' : 'struct'} ${name}`;
  const m = (path: string) => `((${tag} *)0)->${path}`;
  const out = [`_Static_assert(sizeof(${tag}) == ${s.size}, "sizeof ${name}");`];
  if (!alignUnknowable.has(name)) out.push(`_Static_assert(_Alignof(${tag}) == ${s.align}, "_Alignof ${name}");`);
  for (const { path, field: f, base } of members(s)) {
    if (f.bitSize !== undefined) continue;
    out.push(`_Static_assert(offsetof(${tag}, ${path}) == ${base + f.offset}, "offsetof ${name}.${path}");`);
    // sizeof of a flexible array member is not C; a zero-length array has nothing more to check.
    if (f.size === 0) continue;
    out.push(`_Static_assert(sizeof(${m(path)}) == ${f.size}, "sizeof ${name}.${path}");`);
    if (f.count === undefined) continue;
    const dims = f.dims ?? [f.count];
    const levels = dimsOrder === 'flat' ? 1 : dims.length;
    const element = `${m(path)}${'[0]'.repeat(levels)}`;
    if (dimsOrder === 'flat') {
      // pahole -J writes one flat array: its element is the innermost C element, whatever the dimensions.
      out.push(`_Static_assert(sizeof(${m(path)}) == ${f.size} && ${f.elementSize} * ${f.count} == ${f.size}, "flat array ${name}.${path}");`);
      continue;
    }
    out.push(`_Static_assert(sizeof(${element}) == ${f.elementSize}, "element of ${name}.${path}");`);
    const order = (ds: readonly number[]) => ds.map((d, k) => `sizeof(${m(path)}${'[0]'.repeat(k)}) / sizeof(${m(path)}${'[0]'.repeat(k + 1)}) == ${d}`).join(' && ');
    const cond = dimsOrder === 'c' ? order(dims) : `(${order(dims)}) || (${order([...dims].reverse())})`;
    out.push(`_Static_assert(${cond}, "dimensions of ${name}.${path}");`);
  }
  return out;
}

/** A C program printing `struct.member firstbit width` for every bit-field, found by setting it to all ones. */
export function bitProbe(layouts: Map<string, StructLayout>, source: string): { source: string; expected: string[] } {
  const lines: string[] = [];
  const expected: string[] = [];
  for (const [name, s] of layouts) {
    const tag = `${s.union ? 'union' : 'struct'} ${name}`;
    for (const { path, field: f, base } of members(s)) {
      if (f.bitSize === undefined) continue;
      lines.push(`\t{ ${tag} v; memset(&v, 0, sizeof v); v.${path} = ~0; probe("${name}.${path}", &v, sizeof v); }`);
      expected.push(`${name}.${path} ${base * 8 + f.bitOffset!} ${f.bitSize}`);
    }
  }
  const program = `#include <stdio.h>
#include <string.h>
#include ${JSON.stringify(source)}
static void probe(const char *what, const void *p, size_t n) {
	const unsigned char *b = p; int first = -1, width = 0;
	for (size_t i = 0; i < n * 8; i++) if ((b[i / 8] >> (i % 8)) & 1) { if (first < 0) first = (int)i; width++; }
	printf("%s %d %d\\n", what, first, width);
}
int main(void) {
${lines.join('\n')}
	return 0;
}
`;
  return { source: program, expected };
}

