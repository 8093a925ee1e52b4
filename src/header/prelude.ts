import { archMacros, is64Bit, type Target } from './target.js';

/**
 * Kernel headers the prelude stands for: an `#include` of one of them is not read from the
 * tree (their real text needs the whole kernel build: kconfig, compiler feature tests),
 * the prelude below gives what KHO ABI headers use from them.
 */
export const PRELUDE_HEADERS: ReadonlySet<string> = new Set([
  'linux/types.h', 'uapi/linux/types.h', 'asm/types.h', 'linux/compiler.h', 'linux/compiler_types.h',
  'linux/compiler_attributes.h', 'linux/stddef.h', 'uapi/linux/stddef.h', 'linux/const.h', 'vdso/const.h',
  'uapi/linux/const.h', 'linux/bits.h', 'vdso/bits.h', 'linux/bitops.h', 'linux/bitmap.h', 'linux/align.h',
  'linux/log2.h', 'linux/math.h', 'linux/kernel.h', 'linux/build_bug.h', 'linux/limits.h', 'uapi/linux/limits.h',
  'linux/sizes.h', 'linux/typecheck.h', 'asm/page.h', 'asm/page_types.h', 'asm/bitsperlong.h', 'linux/kconfig.h',
  'linux/init.h', 'linux/err.h', 'linux/errno.h', 'linux/minmax.h', 'linux/bug.h', 'linux/string.h',
]);

/** Huge page sizes a kernel of the architecture supports (its asm HUGE_MAX_HSTATE). */
function hugeMaxHstate(t: Target): number {
  return t.arch === 'arm64' ? 4 : 2;
}

/**
 * What every KHO ABI header may use without including it: the kernel's fixed-width
 * types (known to the type table), attributes, and the constant macros of the basic
 * kernel headers, written for constant evaluation (exact integers, no overflow).
 */
export function preludeText(t: Target): string {
  const pageShift = Math.log2(t.pageSize);
  const long = is64Bit(t) ? 64 : 32;
  const defines: Record<string, string> = {
    ...archMacros(t),
    __packed: '__attribute__((__packed__))',
    '__aligned(x)': '__attribute__((__aligned__(x)))',
    '__counted_by(m)': '', '__counted_by_le(m)': '', '__counted_by_be(m)': '', __nonstring: '',
    __user: '', __iomem: '', __force: '', __bitwise: '', __rcu: '', __percpu: '', __must_check: '',
    __always_unused: '', __maybe_unused: '', __read_mostly: '', __aligned_largest: '__attribute__((__aligned__))',
    __aligned_u64: '__u64 __attribute__((__aligned__(8)))', __aligned_be64: '__be64 __attribute__((__aligned__(8)))',
    __aligned_le64: '__le64 __attribute__((__aligned__(8)))',
    true: '1', false: '0', NULL: '((void *)0)',
    'offsetof(TYPE, MEMBER)': '__builtin_offsetof(TYPE, MEMBER)',
    'sizeof_field(TYPE, MEMBER)': 'sizeof(((TYPE *)0)->MEMBER)',
    'IS_ENABLED(option)': '__kho_abi_is_enabled(option)', 'IS_BUILTIN(option)': '__kho_abi_is_enabled(option)',
    BITS_PER_BYTE: '8', BITS_PER_LONG_LONG: '64',
    'BIT(nr)': '(1UL << (nr))', 'BIT_ULL(nr)': '(1ULL << (nr))',
    'GENMASK(h, l)': '(((1ULL << ((h) + 1)) - 1) - ((1ULL << (l)) - 1))', 'GENMASK_ULL(h, l)': 'GENMASK(h, l)',
    'ALIGN(x, a)': '(((x) + (a) - 1) / (a) * (a))', 'ALIGN_DOWN(x, a)': '((x) / (a) * (a))', '__ALIGN_KERNEL(x, a)': 'ALIGN(x, a)',
    'IS_ALIGNED(x, a)': '((x) % (a) == 0)', 'DIV_ROUND_UP(n, d)': '(((n) + (d) - 1) / (d))', '__KERNEL_DIV_ROUND_UP(n, d)': 'DIV_ROUND_UP(n, d)',
    'round_up(x, y)': 'ALIGN(x, y)', 'round_down(x, y)': 'ALIGN_DOWN(x, y)', 'roundup(x, y)': '(DIV_ROUND_UP(x, y) * (y))',
    'ilog2(n)': '__kho_abi_ilog2(n)', 'const_ilog2(n)': '__kho_abi_ilog2(n)',
    'BITS_TO_LONGS(nr)': 'DIV_ROUND_UP(nr, BITS_PER_LONG)', 'BITS_TO_U64(nr)': 'DIV_ROUND_UP(nr, 64)',
    'BITS_TO_U32(nr)': 'DIV_ROUND_UP(nr, 32)', 'BITS_TO_BYTES(nr)': 'DIV_ROUND_UP(nr, 8)',
    'DECLARE_BITMAP(name, bits)': 'unsigned long name[BITS_TO_LONGS(bits)]',
    'min(a, b)': '((a) < (b) ? (a) : (b))', 'max(a, b)': '((a) > (b) ? (a) : (b))',
    PAGE_SHIFT: String(pageShift), PAGE_SIZE: '(1UL << PAGE_SHIFT)', HUGE_MAX_HSTATE: String(hugeMaxHstate(t)),
    NAME_MAX: '255', PATH_MAX: '4096',
    U8_MAX: '255', U16_MAX: '65535', U32_MAX: '4294967295U', U64_MAX: '18446744073709551615ULL',
    S8_MAX: '127', S8_MIN: '(-128)', S16_MAX: '32767', S16_MIN: '(-32768)', S32_MAX: '2147483647', S32_MIN: '(-2147483647 - 1)',
    S64_MAX: '9223372036854775807LL', S64_MIN: '(-9223372036854775807LL - 1)',
    INT_MAX: '2147483647', INT_MIN: '(-2147483647 - 1)', UINT_MAX: '4294967295U',
    ULONG_MAX: long === 64 ? '18446744073709551615UL' : '4294967295UL', LONG_MAX: long === 64 ? '9223372036854775807L' : '2147483647L',
    SIZE_MAX: long === 64 ? '18446744073709551615UL' : '4294967295UL',
    SZ_1K: '0x400', SZ_2K: '0x800', SZ_4K: '0x1000', SZ_8K: '0x2000', SZ_16K: '0x4000', SZ_64K: '0x10000',
    SZ_1M: '0x100000', SZ_2M: '0x200000', SZ_4M: '0x400000', SZ_1G: '0x40000000',
  };
  return Object.entries(defines).map(([k, v]) => `#define ${k} ${v}`).join('\n') + '\n';
}
