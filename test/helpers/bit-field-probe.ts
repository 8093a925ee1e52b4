import type { StructLayout } from '../../src/layout/engine.js';

/**
 * A C program that sets each named bit-field of the structs to all ones in a zeroed object
 * and prints which bits changed (`NAME.FIELD FIRST COUNT` lines), and the lines our layout
 * expects it to print.
 */
export function bitFieldProbe(structs: readonly StructLayout[]): { source: string; expected: string[] } {
  const lines: string[] = [];
  const expected: string[] = [];
  for (const s of structs) {
    const type = `${s.union ? 'union' : 'struct'} ${s.name}`;
    for (const f of s.fields) {
      if (f.bitSize === undefined || !f.name) continue;
      expected.push(`${s.name}.${f.name} ${f.bitOffset} ${f.bitSize}`);
      lines.push(`{ ${type} v; unsigned char *p = (unsigned char *)&v; unsigned i, first = ~0u, n = 0;
  __builtin_memset(&v, 0, sizeof(v)); v.${f.name} = -1;
  for (i = 0; i < sizeof(v) * 8; i++) if (p[i / 8] >> (i % 8) & 1) { if (first == ~0u) first = i; n++; }
  __builtin_printf("%s %u %u\\n", "${s.name}.${f.name}", first, n); }`);
    }
  }
  return { source: `int main(void) {\n${lines.join('\n')}\nreturn 0; }\n`, expected };
}
