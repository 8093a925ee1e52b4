import type { ScalarType } from '../schema/types.js';

/** Member types a KHO ABI struct may use, and the schema type each one is. */
const MEMBER_TYPES: Record<string, ScalarType> = {
  u8: 'u8', u16: 'u16', u32: 'u32', u64: 'u64',
  s8: 's8', s16: 's16', s32: 's32', s64: 's64',
  __u8: 'u8', __u16: 'u16', __u32: 'u32', __u64: 'u64',
  __s8: 's8', __s16: 's16', __s32: 's32', __s64: 's64',
  __le16: '__le16', __le32: '__le32', __le64: '__le64',
  __be16: '__be16', __be32: '__be32', __be64: '__be64',
  char: 'char',
};

/** Sizes of C types that may appear in sizeof/casts (LP64: x86-64, arm64). */
const C_SIZES: Record<string, number> = {
  char: 1, 'signed char': 1, 'unsigned char': 1,
  short: 2, 'short int': 2, 'unsigned short': 2, 'signed short': 2, 'unsigned short int': 2,
  int: 4, signed: 4, unsigned: 4, 'unsigned int': 4, 'signed int': 4,
  long: 8, 'long int': 8, 'unsigned long': 8, 'signed long': 8, 'unsigned long int': 8,
  'long long': 8, 'unsigned long long': 8, 'signed long long': 8, 'long long int': 8, 'unsigned long long int': 8,
  phys_addr_t: 8, size_t: 8,
};

/** The schema type of a member type name (`__u32` is `u32`), or undefined. */
export function memberType(name: string): ScalarType | undefined {
  return Object.hasOwn(MEMBER_TYPES, name) ? MEMBER_TYPES[name] : undefined;
}

/** Size (= alignment) of a scalar type name usable in sizeof, or undefined. */
export function scalarTypeSize(name: string): number | undefined {
  const t = memberType(name);
  if (t) return t === 'char' ? 1 : Number(/\d+/.exec(t)![0]) / 8;
  return Object.hasOwn(C_SIZES, name) ? C_SIZES[name] : undefined;
}

/** Whether an identifier can start a scalar type name. */
export function startsScalarType(word: string): boolean {
  return memberType(word) !== undefined || Object.hasOwn(C_SIZES, word);
}
