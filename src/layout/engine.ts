import type { FieldDef, IntType, ScalarType, StructDef } from '../schema/types.js';

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

/**
 * One member as the layout engine takes it: its element type already resolved (size,
 * alignment, kind) by whoever read the declaration, plus what the declarator adds.
 */
export interface MemberSpec {
  /** '' for an anonymous struct/union member or an unnamed bit-field. */
  readonly name: string;
  /** The C type as written: `u16`, `unsigned long`, `struct x`, `struct y *`, `enum z`. */
  readonly type: string;
  readonly kind: FieldKind;
  readonly elementSize: number;
  /** The element type's alignment inside a struct on the target. */
  readonly elementAlign: number;
  readonly signed: boolean;
  readonly bigEndian?: boolean;
  readonly struct?: StructLayout;
  /** Array dimensions, outermost first; a leading 0 with `flexible` is `x[][N]`. */
  readonly dims?: readonly number[];
  readonly flexible?: boolean;
  /** Bit-field width (0 for `T :0`). */
  readonly bits?: number;
  /** `__aligned(n)` on the member. */
  readonly aligned?: number;
  /** `__packed` on the member. */
  readonly packed?: boolean;
  readonly doc?: string;
  readonly address?: boolean;
}

/** A struct or union as the layout engine takes it. */
export interface RecordSpec {
  /** '' for an anonymous struct or union. */
  readonly name: string;
  readonly union?: boolean;
  readonly packed?: boolean;
  readonly aligned?: number;
  readonly members: readonly MemberSpec[];
  readonly doc?: string;
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
    const layout = layoutRecord(recordOf(def, done));
    done.set(def.name, layout);
    out.set(def.name, layout);
  }
  return out;
}

/** A registry StructDef as a RecordSpec: fixed-width kernel types, natural alignment. */
function recordOf(def: StructDef, known: ReadonlyMap<string, StructLayout>): RecordSpec {
  return {
    name: def.name,
    ...(def.union ? { union: true } : {}),
    ...(def.packed ? { packed: true } : {}),
    ...(def.aligned ? { aligned: def.aligned } : {}),
    members: def.fields.map((f) => memberOf(def, f, known)),
    ...(def.doc ? { doc: def.doc } : {}),
  };
}

function memberOf(owner: StructDef, f: FieldDef, known: ReadonlyMap<string, StructLayout>): MemberSpec {
  const where = `struct ${owner.name}.${f.name}`;
  if (f.count !== undefined && (!Number.isInteger(f.count) || f.count < 0)) {
    throw new Error(`${where}: array length ${f.count} is not a whole number`);
  }
  const common = {
    name: f.name,
    type: f.type,
    ...(f.count !== undefined && !f.flexible ? { dims: [f.count] } : {}),
    ...(f.flexible ? { flexible: true } : {}),
    ...(f.aligned ? { aligned: f.aligned } : {}),
    ...(f.doc ? { doc: f.doc } : {}),
    ...(f.address ? { address: true } : {}),
  };
  const aggregate = /^(struct|union) (.+)$/.exec(f.type);
  if (aggregate) {
    const nested = known.get(aggregate[2]!);
    if (!nested || (nested.union === true) !== (aggregate[1] === 'union')) throw new Error(`${where}: unknown type ${f.type}`);
    return { ...common, kind: 'struct', elementSize: nested.size, elementAlign: nested.align, signed: false, struct: nested };
  }
  if (!isScalarType(f.type)) throw new Error(`${where}: unknown type ${f.type}`);
  const size = scalarSize(f.type);
  return {
    ...common,
    kind: f.type === 'char' ? 'char' : 'int',
    elementSize: size,
    elementAlign: size,
    signed: /^s\d/.test(f.type),
    ...(f.type.startsWith('__be') ? { bigEndian: true } : {}),
  };
}

/**
 * Lay out one struct or union as gcc does on x86-64, arm64 and i386: every rule of
 * `layoutStructs`, plus bit-fields (a field may not span more alignment units of its type
 * than the type has, unless the struct or member is packed; `T :0` moves to the next unit;
 * named bit-fields give the struct their type's alignment), multi-dimensional arrays and
 * anonymous members.
 */
export function layoutRecord(spec: RecordSpec): StructLayout {
  const tag = spec.union ? 'union' : 'struct';
  const where = `${tag} ${spec.name || '(anonymous)'}`;
  checkAlignment(spec.aligned, where);
  const fields: FieldLayout[] = [];
  let bitpos = 0; // next free bit (struct) or largest size in bits (union)
  let end = 0; // first byte after the last member placed
  let align = 1;
  spec.members.forEach((m, i) => {
    const mwhere = `${where}.${m.name || '(anonymous)'}`;
    checkAlignment(m.aligned, mwhere);
    if (m.flexible && (spec.union || i !== spec.members.length - 1)) {
      throw new Error(`${tag} ${spec.name}: flexible array member ${m.name} ${spec.union ? 'in a union' : 'is not last'}`);
    }
    if (m.flexible && !spec.members.slice(0, i).some((x) => x.name !== '' || x.struct?.fields.some((f) => f.name !== ''))) {
      throw new Error(`${tag} ${spec.name}: flexible array member ${m.name} in a struct with no named members`);
    }
    const packed = spec.packed === true || m.packed === true;
    const start = spec.union ? 0 : bitpos;
    let field: FieldLayout;
    if (m.bits !== undefined) {
      field = placeBitField(m, start, packed, mwhere);
      const named = m.name !== '';
      // named bit-fields give the struct their type's alignment; unnamed ones do not (x86-64, arm64, i386)
      if (named) align = Math.max(align, packed ? 1 : m.elementAlign, m.aligned ?? 1);
      const next = field.bitOffset! + m.bits;
      if (m.bits === 0) {
        if (named) throw new Error(`${mwhere}: a zero-width bit-field must be unnamed`);
        if (!spec.union) bitpos = field.bitOffset!;
        return; // gcc keeps no member for `T :0`
      }
      fields.push(field);
      bitpos = spec.union ? Math.max(bitpos, alignUp(m.bits, 8)) : next;
      end = spec.union ? Math.max(end, Math.ceil(m.bits / 8)) : Math.ceil(next / 8);
      return;
    }
    field = placeField(m, Math.ceil(start / 8), packed, mwhere);
    fields.push(field);
    align = Math.max(align, field.align);
    if (spec.union) {
      end = Math.max(end, field.size);
      bitpos = end * 8;
    } else {
      end = field.offset + field.size;
      bitpos = end * 8;
    }
  });
  if (spec.aligned) align = Math.max(align, spec.aligned);
  const size = alignUp(end, align);
  return {
    name: spec.name,
    ...(spec.union ? { union: true } : {}),
    size,
    align,
    packed: spec.packed === true,
    ...(spec.aligned ? { aligned: spec.aligned } : {}),
    fields,
    gaps: structGaps(fields, size, spec.union === true),
    ...(spec.doc ? { doc: spec.doc } : {}),
  };
}

function placeField(m: MemberSpec, at: number, packed: boolean, where: string): FieldLayout {
  const dims = m.dims ?? [];
  for (const d of dims) if (!Number.isInteger(d) || d < 0) throw new Error(`${where}: array length ${d} is not a whole number`);
  // A packed struct aligns its members to 1, but never below an explicit __aligned.
  const align = Math.max(packed ? 1 : m.elementAlign, m.aligned ?? 1);
  const offset = alignUp(at, align);
  const isArray = dims.length > 0 || m.flexible === true;
  const count = isArray ? (m.flexible ? 0 : dims.reduce((a, b) => a * b, 1)) : undefined;
  const size = m.elementSize * (count ?? 1);
  return memberField(m, offset, size, align, {
    ...(count !== undefined ? { count } : {}),
    ...(dims.length > 1 || (m.flexible && dims.length > 0) ? { dims: m.flexible ? [0, ...dims] : dims } : {}),
  });
}

/** The FieldLayout of member `m` placed at `offset`; `shape` holds its array or bit-field placement. */
function memberField(m: MemberSpec, offset: number, size: number, align: number, shape: Pick<FieldLayout, 'count' | 'dims' | 'bitOffset' | 'bitSize'>): FieldLayout {
  return {
    name: m.name,
    type: m.type,
    kind: m.kind,
    offset,
    size,
    align,
    elementSize: m.elementSize,
    ...shape,
    flexible: m.flexible === true,
    signed: m.signed,
    bigEndian: m.bigEndian === true,
    ...(m.doc ? { doc: m.doc } : {}),
    address: m.address === true,
    ...(m.struct ? { struct: m.struct } : {}),
  };
}

/** gcc's place_field for a bit-field (PCC_BITFIELD_TYPE_MATTERS): see layoutRecord. */
function placeBitField(m: MemberSpec, bitpos: number, packed: boolean, where: string): FieldLayout {
  const unitBits = m.elementSize * 8;
  if (m.kind === 'struct' || m.kind === 'float' || m.kind === 'pointer' || m.dims?.length || m.flexible) {
    throw new Error(`${where}: a bit-field needs an integer or enum type`);
  }
  if (!Number.isInteger(m.bits) || m.bits! < 0 || m.bits! > unitBits) throw new Error(`${where}: width ${m.bits} is outside 0..${unitBits} for ${m.type}`);
  const bits = m.bits!;
  const typeAlignBits = m.elementAlign * 8;
  let pos = bitpos;
  if (bits === 0) pos = alignUp(pos, typeAlignBits);
  else if (!packed) {
    const within = pos % typeAlignBits;
    if (Math.ceil((within + bits) / typeAlignBits) > unitBits / typeAlignBits) pos = alignUp(pos, typeAlignBits);
  }
  if (m.aligned) pos = alignUp(pos, m.aligned * 8);
  const unitStart = Math.floor(pos / unitBits) * m.elementSize;
  const fits = pos + bits <= (unitStart + m.elementSize) * 8;
  const offset = fits ? unitStart : Math.floor(pos / 8);
  const size = fits ? m.elementSize : Math.ceil((pos + bits) / 8) - offset;
  return memberField(m, offset, size, packed ? 1 : m.elementAlign, { bitOffset: pos, bitSize: bits });
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

/** The bytes a member touches: its own bytes, or for a bit-field the bytes its bits fall in. */
function extent(f: FieldLayout): { start: number; end: number } {
  if (f.bitOffset !== undefined && f.bitSize !== undefined) {
    return { start: Math.floor(f.bitOffset / 8), end: Math.ceil((f.bitOffset + f.bitSize) / 8) };
  }
  return { start: f.offset, end: f.offset + f.size };
}

/**
 * Unused bytes of a struct laid out as `fields` in `size` bytes: holes between members (none
 * in a union) and the tail padding. Bit-fields sharing bytes leave no byte hole between them.
 */
export function structGaps(fields: readonly FieldLayout[], size: number, union = false): Gap[] {
  const gaps: Gap[] = [];
  let end = 0;
  let last: string | null = null;
  for (const f of fields) {
    const e = extent(f);
    if (!union && e.start > end) gaps.push({ offset: end, size: e.start - end, after: last, kind: 'hole' });
    end = Math.max(end, e.end);
    last = f.name;
  }
  if (size > end) gaps.push({ offset: end, size: size - end, after: null, kind: 'padding' });
  return gaps;
}
