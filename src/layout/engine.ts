import type { FieldDef, IntType, ScalarType, StructDef } from '../schema/types.js';
import { structGaps } from './gaps.js';

/**
 * How a field's bytes are interpreted. `int` covers every integer type (and `bool`);
 * `enum` an enumeration (an integer of the enum's size); `pointer` a word-sized address
 * whose size depends on the target; `float` a floating-point scalar; `struct` a nested
 * struct or union (see `struct.union`).
 */
export type FieldKind = 'int' | 'char' | 'struct' | 'enum' | 'pointer' | 'float';

/** A field with its computed place in the struct (bytes). */
export interface FieldLayout {
  readonly name: string;
  /** The C declaration type: `u16`, `struct pci_dev_ser`, `char`. */
  readonly type: string;
  readonly kind: FieldKind;
  readonly offset: number;
  /** Bytes the member occupies; 0 for a flexible array member. */
  readonly size: number;
  readonly align: number;
  /** Size of one element (the scalar or struct). */
  readonly elementSize: number;
  /** Fixed array length, 0 for a flexible array, undefined for a non-array. */
  readonly count?: number;
  /**
   * Every dimension of a multi-dimensional array, outermost first (`char v[2][8]` is
   * `[2, 8]`, a flexible `char v[][8]` is `[0, 8]`); `count` is then their product.
   * Absent for scalars and one-dimensional arrays.
   */
  readonly dims?: readonly number[];
  /**
   * Bit-fields only: the first bit from the start of the struct (little-endian bit order,
   * as BTF and gcc on x86-64/arm64 number them) and the width in bits. `offset` and `size`
   * are then the bytes of the storage unit the field was read from.
   */
  readonly bitOffset?: number;
  readonly bitSize?: number;
  readonly flexible: boolean;
  readonly signed: boolean;
  readonly bigEndian: boolean;
  readonly doc?: string;
  readonly address: boolean;
  /** For struct members: the nested struct's layout. */
  readonly struct?: StructLayout;
}

/** Unused bytes inside a struct: between members (hole) or at the end (padding). */
export interface Gap {
  readonly offset: number;
  readonly size: number;
  /** The member the gap follows, or null for tail padding. */
  readonly after: string | null;
  readonly kind: 'hole' | 'padding';
}

export interface StructLayout {
  readonly name: string;
  /** A union: every member at offset 0. */
  readonly union?: boolean;
  readonly size: number;
  readonly align: number;
  readonly packed: boolean;
  readonly aligned?: number;
  readonly fields: readonly FieldLayout[];
  readonly gaps: readonly Gap[];
  readonly doc?: string;
}

const INT_SIZES: Record<IntType, number> = {
  u8: 1, s8: 1, u16: 2, s16: 2, u32: 4, s32: 4, u64: 8, s64: 8,
  __le16: 2, __le32: 4, __le64: 8, __be16: 2, __be32: 4, __be64: 8,
};

/** Size in bytes of a scalar C type (LP64: x86-64, arm64). */
export function scalarSize(type: ScalarType): number {
  return type === 'char' ? 1 : INT_SIZES[type];
}

export function isScalarType(type: string): type is ScalarType {
  return type === 'char' || type in INT_SIZES;
}

const alignUp = (n: number, a: number) => Math.ceil(n / a) * a;

function checkAlignment(n: number | undefined, where: string): void {
  if (n !== undefined && (!Number.isInteger(n) || n < 1 || (n & (n - 1)) !== 0)) {
    throw new Error(`${where}: __aligned(${n}) is not a power of two`);
  }
}

/**
 * Lay out structs with C's rules for LP64 targets: natural alignment, `__packed`
 * (every member aligned to 1 unless it carries its own `__aligned`), `__aligned(n)` on
 * members and structs, nested structs, fixed arrays and a trailing flexible array member.
 * Structs may refer only to structs declared before them or in `known`.
 */
export function layoutStructs(
  defs: readonly StructDef[],
  known: ReadonlyMap<string, StructLayout> = new Map(),
): Map<string, StructLayout> {
  const done = new Map(known);
  const out = new Map<string, StructLayout>();
  for (const def of defs) {
    const layout = layoutStruct(def, done);
    done.set(def.name, layout);
    out.set(def.name, layout);
  }
  return out;
}

function layoutStruct(def: StructDef, known: ReadonlyMap<string, StructLayout>): StructLayout {
  checkAlignment(def.aligned, `struct ${def.name}`);
  const fields: FieldLayout[] = [];
  let offset = 0;
  let align = 1;
  def.fields.forEach((f, i) => {
    if (f.flexible && (def.union || i !== def.fields.length - 1)) {
      throw new Error(`${def.union ? 'union' : 'struct'} ${def.name}: flexible array member ${f.name} ${def.union ? 'in a union' : 'is not last'}`);
    }
    if (def.union) {
      const field = layoutField(def, f, 0, known);
      fields.push(field);
      offset = Math.max(offset, field.size);
      align = Math.max(align, field.align);
      return;
    }
    const field = layoutField(def, f, offset, known);
    fields.push(field);
    offset = field.offset + field.size;
    align = Math.max(align, field.align);
  });
  if (def.aligned) align = Math.max(align, def.aligned);
  const size = alignUp(offset, align);
  return {
    name: def.name,
    ...(def.union ? { union: true } : {}),
    size,
    align,
    packed: def.packed === true,
    ...(def.aligned ? { aligned: def.aligned } : {}),
    fields,
    gaps: structGaps(fields, size, def.union === true),
    ...(def.doc ? { doc: def.doc } : {}),
  };
}

function layoutField(
  owner: StructDef,
  f: FieldDef,
  at: number,
  known: ReadonlyMap<string, StructLayout>,
): FieldLayout {
  const where = `struct ${owner.name}.${f.name}`;
  checkAlignment(f.aligned, where);
  let elementSize: number;
  let natural: number;
  let kind: FieldKind;
  let nested: StructLayout | undefined;
  const aggregate = /^(struct|union) (.+)$/.exec(f.type);
  if (aggregate) {
    const name = aggregate[2]!;
    nested = known.get(name);
    if (!nested || (nested.union === true) !== (aggregate[1] === 'union')) throw new Error(`${where}: unknown type ${f.type}`);
    elementSize = nested.size;
    natural = nested.align;
    kind = 'struct';
  } else if (isScalarType(f.type)) {
    elementSize = scalarSize(f.type);
    natural = elementSize;
    kind = f.type === 'char' ? 'char' : 'int';
  } else {
    throw new Error(`${where}: unknown type ${f.type}`);
  }
  if (f.count !== undefined && (!Number.isInteger(f.count) || f.count < 0)) {
    throw new Error(`${where}: array length ${f.count} is not a whole number`);
  }
  // A packed struct aligns its members to 1, but never below an explicit __aligned.
  const align = Math.max(owner.packed ? 1 : natural, f.aligned ?? 1);
  const offset = alignUp(at, align);
  const count = f.flexible ? 0 : f.count;
  const size = elementSize * (count ?? 1);
  const type = f.type;
  return {
    name: f.name,
    type,
    kind,
    offset,
    size,
    align,
    elementSize,
    ...(count !== undefined ? { count } : {}),
    flexible: f.flexible === true,
    signed: /^s\d/.test(type),
    bigEndian: type.startsWith('__be'),
    ...(f.doc ? { doc: f.doc } : {}),
    address: f.address === true,
    ...(nested ? { struct: nested } : {}),
  };
}

function arraySuffix(f: FieldLayout): string {
  if (f.dims) return f.dims.map((d, i) => (i === 0 && f.flexible ? '[]' : `[${d}]`)).join('');
  return f.flexible ? '[]' : f.count !== undefined ? `[${f.count}]` : '';
}

/** The C type of a field with its array part: `u16`, `struct pci_dev_ser[]`, `char[48]`. */
export function typeText(f: FieldLayout): string {
  return f.type + arraySuffix(f);
}

/** The C declaration of a field: `u16 bdf`, `struct pci_dev_ser devices[]`, `char name[48]`. */
export function declaration(f: FieldLayout): string {
  return `${f.type} ${f.name}${arraySuffix(f)}`;
}
