import { preludeText } from './prelude.js';
import { scalarTypes, type Target } from './target.js';

/** The C spelling gcc needs for each kernel type name of the type table. */
function typedefs(t: Target): string {
  const base: Record<string, string> = {};
  for (const [name, info] of scalarTypes(t)) {
    if (name.includes(' ') || ['char', 'int', 'short', 'long', 'float', 'double', '_Bool'].includes(name)) continue;
    const c =
      name === 'bool' ? '_Bool'
      : info.word ? (info.signed ? 'long' : 'unsigned long')
      : info.size === 8 ? (info.signed ? 'long long' : 'unsigned long long')
      : info.size === 4 ? (info.signed ? 'int' : 'unsigned int')
      : info.size === 2 ? (info.signed ? 'short' : 'unsigned short')
      : info.signed ? 'signed char' : 'unsigned char';
    base[name] = c;
  }
  return Object.entries(base).map(([n, c]) => `typedef ${c} ${n};`).join('\n');
}

/**
 * The kho-abi prelude as C that gcc and clang accept: typedefs for the kernel type names,
 * then the prelude's macros (its ilog2 builtin as a gcc builtin; macros the compiler
 * predefines are left to it).
 */
export function cPrelude(t: Target): string {
  const macros = preludeText(t)
    .split('\n')
    .filter((l) => !/^#define __(x86_64|i386|aarch64|GNUC|LP64|BYTE_ORDER|ORDER_LITTLE_ENDIAN)__? /.test(l) && !/^#define _LP64 /.test(l))
    .join('\n');
  return `${typedefs(t)}\n${macros}\n#undef __kho_abi_ilog2\n#define __kho_abi_ilog2(n) (63 - __builtin_clzll(n))\n#define __kho_abi_is_enabled(option) 0\n#define static_assert(expr, ...) _Static_assert(expr, #expr)\n`;
}

/** Compiler arguments that make gcc or clang compile for a target. */
export function targetFlags(t: Target, cc: 'gcc' | 'clang'): string[] {
  if (t.arch === 'i386') return ['-m32'];
  if (t.arch === 'arm64') return cc === 'clang' ? ['--target=aarch64-linux-gnu'] : [];
  return [];
}
