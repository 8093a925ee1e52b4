/** BTF type kinds as the kernel numbers them (include/uapi/linux/btf.h). */
export const BTF_KIND = {
  INT: 1,
  PTR: 2,
  ARRAY: 3,
  STRUCT: 4,
  UNION: 5,
  ENUM: 6,
  FWD: 7,
  TYPEDEF: 8,
  VOLATILE: 9,
  CONST: 10,
  RESTRICT: 11,
  FUNC: 12,
  FUNC_PROTO: 13,
  VAR: 14,
  DATASEC: 15,
  FLOAT: 16,
  DECL_TAG: 17,
  TYPE_TAG: 18,
  ENUM64: 19,
} as const;

/** The name of a BTF kind. */
export type BtfKindName = keyof typeof BTF_KIND;

/** Kind names by number; index 0 is BTF_KIND_UNKN. */
export const KIND_NAMES: readonly (BtfKindName | undefined)[] = (() => {
  const names: (BtfKindName | undefined)[] = [];
  for (const [name, n] of Object.entries(BTF_KIND)) names[n] = name as BtfKindName;
  return names;
})();

/** BTF_INT_ENCODING bits of a BTF_KIND_INT. */
export const BTF_INT_SIGNED = 1;

/** `0xeB9F`, the first two bytes of every BTF blob in its byte order. */
export const BTF_MAGIC = 0xeb9f;

/** Size of the version 1 header (magic, version, flags, hdr_len, type_off/len, str_off/len). */
export const BTF_HEADER_SIZE = 24;

/** The largest BTF read (raw, or an ELF's .BTF section): vmlinux BTF is a few MiB, allyesconfig's tens. */
export const MAX_BTF_SIZE = 64 << 20;

/** The deepest chain of typedefs, qualifiers, arrays and nested structs the kernel resolves. */
export const MAX_RESOLVE_DEPTH = 32;

/** 32-bit words a record of each kind has after its `struct btf_type`, before its vlen entries. */
export const FIXED_WORDS: readonly number[] = [0, 1, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0];
/** 32-bit words of each vlen entry (member, enumerator, parameter, section variable), by kind. */
export const VLEN_WORDS: readonly number[] = [0, 0, 0, 0, 3, 3, 2, 0, 0, 0, 0, 0, 0, 2, 0, 3, 0, 0, 0, 3];

/** Bytes a type record takes after its 12-byte `struct btf_type`, by kind and vlen. */
export function extraSize(kind: number, vlen: number): number {
  return 4 * ((FIXED_WORDS[kind] ?? 0) + (VLEN_WORDS[kind] ?? 0) * vlen);
}
