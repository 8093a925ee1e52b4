import type { FieldDef, StructDef } from '../schema/types.js';
import type { StructLayout } from './engine.js';

/** Options of renderCStructs. */
export interface CRenderOptions {
  /** Start with `#include <stddef.h>` and the kernel integer typedefs, for a standalone userspace file. */
  readonly typedefs?: boolean;
}

const TYPEDEFS = `#include <stddef.h>

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef signed char s8;
typedef short s16;
typedef int s32;
typedef long long s64;
typedef u16 __le16;
typedef u32 __le32;
typedef u64 __le64;
typedef u16 __be16;
typedef u32 __be32;
typedef u64 __be64;
`;

/** Kernel-style C declarations of struct definitions (as declared in the schema, not as laid out). */
export function renderCStructs(structs: readonly StructDef[], opts: CRenderOptions = {}): string {
  const parts = structs.map(renderStruct);
  if (opts.typedefs) parts.unshift(TYPEDEFS);
  return parts.join('\n');
}

/**
 * `_Static_assert` lines pinning the size, alignment and every named member's offset and size
 * of laid-out structs (members of anonymous structs and unions where C names them; bit-fields
 * have no byte offset in C and are left out).
 */
export function renderCAsserts(structs: readonly StructLayout[]): string {
  const lines: string[] = [];
  for (const s of structs) {
    const type = `${s.union ? 'union' : 'struct'} ${s.name}`;
    lines.push(staticAssert(`sizeof(${type}) == ${s.size}`), staticAssert(`__alignof__(${type}) == ${s.align}`));
    const members = (fields: StructLayout['fields'], base: number): void => {
      for (const f of fields) {
        if (f.name === '' && f.struct) members(f.struct.fields, base + f.offset);
        if (f.bitSize !== undefined || f.name === '') continue;
        lines.push(staticAssert(`offsetof(${type}, ${f.name}) == ${base + f.offset}`));
        // sizeof a flexible array member is an incomplete type; its size is 0 by definition.
        if (!f.flexible) lines.push(staticAssert(`sizeof(((${type} *)0)->${f.name}) == ${f.size}`));
      }
    };
    members(s.fields, 0);
  }
  return lines.join('\n') + '\n';
}

function staticAssert(expr: string): string {
  return `_Static_assert(${expr}, "${expr}");`;
}

function renderStruct(s: StructDef): string {
  const attrs = [...(s.packed ? ['packed'] : []), ...(s.aligned ? [`aligned(${s.aligned})`] : [])];
  const tail = attrs.length ? ` __attribute__((${attrs.join(', ')}))` : '';
  return `${kernelDoc(s)}struct ${s.name} {\n${s.fields.map((f) => `\t${member(f)};\n`).join('')}}${tail};\n`;
}

function member(f: FieldDef): string {
  const suffix = f.flexible ? '[]' : f.count !== undefined ? `[${f.count}]` : '';
  const aligned = f.aligned ? ` __attribute__((aligned(${f.aligned})))` : '';
  return `${f.type} ${f.name}${suffix}${aligned}`;
}

/** A kernel-doc block when the struct or any member is documented. */
function kernelDoc(s: StructDef): string {
  const docs = s.fields.filter((f) => f.doc);
  if (!s.doc && docs.length === 0) return '';
  const text = (t: string) => t.replaceAll('*/', '* /');
  const head = ` * struct ${s.name}${s.doc ? ` - ${text(s.doc)}` : ''}\n`;
  return `/**\n${head}${docs.map((f) => ` * @${f.name}: ${text(f.doc!)}\n`).join('')} */\n`;
}
