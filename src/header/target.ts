import type { FieldKind } from '../layout/engine.js';

/** The architectures whose C type sizes kho-abi knows (`--arch`). */
export type Arch = 'x86_64' | 'arm64' | 'i386';

/** Every accepted `--arch` value. */
export const ARCHES: readonly Arch[] = ['x86_64', 'arm64', 'i386'];

/** What a header is read for: the architecture (C type sizes, arch/ARCH/include) and the page size. */
export interface Target {
  readonly arch: Arch;
  readonly pageSize: number;
}

/** x86-64 with 4 KiB pages: what the kernel builds most. */
export const DEFAULT_TARGET: Target = { arch: 'x86_64', pageSize: 4096 };

/** A scalar C type on a target: its size, its alignment inside a struct, and how its bytes read. */
export interface ScalarInfo {
  readonly size: number;
  readonly align: number;
  readonly kind: FieldKind;
  readonly signed: boolean;
  readonly bigEndian?: boolean;
  /** Its size depends on the kernel's word size (pointers, long, size_t…). */
  readonly word?: boolean;
}

/** The directory under arch/ that holds an architecture's headers. */
export function archDir(arch: Arch): string {
  return arch === 'arm64' ? 'arm64' : 'x86';
}

/** Whether longs and pointers are 64-bit. */
export function is64Bit(t: Target): boolean {
  return t.arch !== 'i386';
}

const int = (size: number, signed: boolean, align = size): ScalarInfo => ({ size, align, kind: 'int', signed });

/**
 * The scalar types a KHO ABI struct may use on a target, by their canonical spelling
 * (`unsigned long`, `u64`, `__le32`…). i386 aligns 8-byte integers to 4 inside structs.
 */
export function scalarTypes(t: Target): ReadonlyMap<string, ScalarInfo> {
  const lp64 = is64Bit(t);
  const word = lp64 ? 8 : 4;
  const a8 = lp64 ? 8 : 4;
  const m = new Map<string, ScalarInfo>();
  const put = (names: string, info: ScalarInfo) => {
    for (const n of names.split(',')) m.set(n.trim(), info);
  };
  put('u8, __u8, uint8_t, unsigned char', int(1, false));
  put('s8, __s8, int8_t, signed char', int(1, true));
  put('u16, __u16, uint16_t, unsigned short', int(2, false));
  put('s16, __s16, int16_t, short', int(2, true));
  put('u32, __u32, uint32_t, unsigned int', int(4, false));
  put('s32, __s32, int32_t, int', int(4, true));
  put('u64, __u64, uint64_t, unsigned long long', int(8, false, a8));
  put('s64, __s64, int64_t, long long', int(8, true, a8));
  put('__le16', int(2, false));
  put('__le32', int(4, false));
  put('__le64', int(8, false, a8));
  for (const n of [2, 4, 8]) m.set(`__be${n * 8}`, { ...int(n, false, n === 8 ? a8 : n), bigEndian: true });
  m.set('char', { size: 1, align: 1, kind: 'char', signed: t.arch !== 'arm64' });
  put('_Bool, bool', int(1, false));
  const wordInt = (signed: boolean): ScalarInfo => ({ ...int(word, signed), word: true });
  put('unsigned long, size_t, uintptr_t, phys_addr_t, dma_addr_t, pgoff_t, resource_size_t', wordInt(false));
  put('long, ssize_t, intptr_t, ptrdiff_t', wordInt(true));
  m.set('float', { size: 4, align: 4, kind: 'float', signed: true });
  m.set('double', { size: 8, align: a8, kind: 'float', signed: true });
  return m;
}

/** A pointer on a target. */
export function pointerInfo(t: Target): ScalarInfo {
  const size = is64Bit(t) ? 8 : 4;
  return { size, align: size, kind: 'pointer', signed: false, word: true };
}

/** The predefined macros of gcc and of the kernel's configuration that tell the architecture apart. */
export function archMacros(t: Target): Record<string, string> {
  const common = { __GNUC__: '12', __KERNEL__: '1', __LITTLE_ENDIAN: '1234', __ORDER_LITTLE_ENDIAN__: '1234', __BYTE_ORDER__: '1234' };
  switch (t.arch) {
    case 'x86_64':
      return { ...common, __x86_64__: '1', __x86_64: '1', __LP64__: '1', _LP64: '1', CONFIG_X86: '1', CONFIG_X86_64: '1', CONFIG_64BIT: '1', BITS_PER_LONG: '64' };
    case 'arm64':
      return { ...common, __aarch64__: '1', __LP64__: '1', _LP64: '1', CONFIG_ARM64: '1', CONFIG_64BIT: '1', BITS_PER_LONG: '64' };
    case 'i386':
      return { ...common, __i386__: '1', __i386: '1', CONFIG_X86: '1', CONFIG_X86_32: '1', BITS_PER_LONG: '32' };
  }
}

const WORD_TYPES = new Set(['unsigned long', 'long', 'size_t', 'ssize_t', 'uintptr_t', 'intptr_t', 'ptrdiff_t', 'phys_addr_t', 'dma_addr_t', 'pgoff_t', 'resource_size_t']);

/** Whether a laid-out member's size depends on the word size of the kernel (pointer, long, size_t…). */
export function isWordSized(f: { readonly kind: string; readonly type: string }): boolean {
  return f.kind === 'pointer' || WORD_TYPES.has(f.type);
}
