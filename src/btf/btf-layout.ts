import { structGaps, type FieldKind, type FieldLayout, type StructLayout } from '../layout/engine.js';
import { BtfError } from './btf-error.js';
import { BTF_INT_SIGNED, BTF_KIND, KIND_NAMES, MAX_RESOLVE_DEPTH } from './btf-kinds.js';
import type { Btf, BtfMember } from './btf.js';
import { TypeNames } from './type-names.js';

/** EM_386: 8-byte integers and doubles are 4-byte aligned inside structs. */
const EM_386 = 3;
/** The largest size a type may have (the kernel's limit for BTF types). */
const MAX_SIZE = 0xffffffff;

/** What a member's type is, after arrays, typedefs and qualifiers. */
interface Shape {
  readonly kind: FieldKind;
  readonly elementSize: number;
  /** Natural alignment (BTF records none: the C rule for the scalar, or the struct's). */
  readonly natural: number;
  readonly signed: boolean;
  readonly bigEndian: boolean;
  readonly struct?: StructLayout;
  /** INT only: the bit-field width and offset of the old (no `kind_flag`) encoding. */
  readonly intBits?: number;
  readonly intOffset?: number;
}

const alignUp = (n: number, a: number) => Math.ceil(n / a) * a;

/** Builds StructLayouts from the struct and union records of one BTF, memoized by type id. */
export class BtfLayouts {
  private readonly memo = new Map<number, StructLayout>();
  private readonly busy = new Set<number>();
  private readonly names: TypeNames;
  private readonly maxAlign: number;

  constructor(private readonly btf: Btf) {
    this.names = new TypeNames(btf);
    this.maxAlign = btf.machine === EM_386 ? 4 : 16;
  }

  private fail(message: string): never {
    throw new BtfError(`${this.btf.file}: ${message}`);
  }

  /** The layout of a STRUCT or UNION type. */
  struct(id: number, depth = 0): StructLayout {
    const known = this.memo.get(id);
    if (known) return known;
    const t = this.btf.type(id);
    const label = `${t.kind === 'UNION' ? 'union' : 'struct'} ${t.name || `(anonymous, type ${id})`}`;
    if (this.busy.has(id)) this.fail(`${label} contains itself`);
    if (depth > MAX_RESOLVE_DEPTH) this.fail(`${label}: structs nested more than ${MAX_RESOLVE_DEPTH} deep`);
    this.busy.add(id);
    const layout = this.build(id, t.sizeOrType, t.kind === 'UNION', t.name, label, depth);
    this.busy.delete(id);
    this.memo.set(id, layout);
    return layout;
  }

  private build(id: number, size: number, union: boolean, name: string, label: string, depth: number): StructLayout {
    const members = this.btf.members(id);
    const placed = members.map((m, i) => this.field(m, label, depth, !union && i === members.length - 1));
    const fields = placed.map((p) => p.layout);
    let natural = 1;
    let packed = false;
    let end = 0;
    for (const [i, { layout: f, natural: shapeAlign }] of placed.entries()) {
      natural = Math.max(natural, shapeAlign);
      const bits = f.bitOffset !== undefined && f.bitSize !== undefined;
      if (!union && !bits && f.offset % shapeAlign !== 0) packed = true;
      if (bits && (f.bitOffset! % (f.size * 8)) + f.bitSize! > f.size * 8) packed = true;
      const fEnd = bits ? Math.ceil((f.bitOffset! + f.bitSize!) / 8) : f.offset + f.size;
      if (fEnd > size) this.fail(`${label}: member ${members[i]!.name || '(anonymous)'} ends at byte ${fEnd}, past the ${union ? 'union' : 'struct'} size ${size}`);
      end = Math.max(end, fEnd);
    }
    if (size % natural !== 0) packed = true;
    const base = packed ? 1 : natural;
    const aligned = size > alignUp(end, base) ? explainingAlignment(end, size, base) : undefined;
    const laidOut = packed ? fields.map((f) => ({ ...f, align: 1 })) : fields;
    return {
      name,
      ...(union ? { union: true } : {}),
      size,
      align: Math.max(base, aligned ?? 1),
      packed,
      ...(aligned !== undefined ? { aligned } : {}),
      fields: laidOut,
      gaps: structGaps(laidOut, size, union),
    };
  }

  /** A member placed by its BTF bit offset, with its type's natural alignment. */
  private field(m: BtfMember, owner: string, depth: number, last: boolean): { layout: FieldLayout; natural: number } {
    const where = `${owner}.${m.name || '(anonymous)'}`;
    const dims: number[] = [];
    let t = m.type;
    let prefix = '';
    for (let steps = 0; ; steps++) {
      if (steps > MAX_RESOLVE_DEPTH) this.fail(`${where}: array or qualifier chain deeper than ${MAX_RESOLVE_DEPTH} (a cycle?)`);
      const kind = this.btf.kind(t);
      if (kind === BTF_KIND.ARRAY) {
        const a = this.btf.arrayInfo(t);
        dims.push(a.nelems);
        t = a.type;
      } else if (dims.length === 0 && (kind === BTF_KIND.CONST || kind === BTF_KIND.VOLATILE || kind === BTF_KIND.RESTRICT || kind === BTF_KIND.TYPE_TAG) && this.isArray(t)) {
        // `const u8 x[4]` may be CONST -> ARRAY -> u8: keep the qualifier on the element's name.
        if (kind !== BTF_KIND.TYPE_TAG) prefix += `${KIND_NAMES[kind]!.toLowerCase()} `;
        t = this.btf.type(t).sizeOrType;
      } else break;
    }
    const shape = this.shape(t, where, depth);
    const count = dims.reduce((a, b) => a * b, 1);
    const type = prefix + this.names.name(t);
    let bitSize = m.bitSize;
    let bitOffset = m.bitOffset;
    if (bitSize === 0 && shape.intBits !== undefined && (shape.intBits !== shape.elementSize * 8 || shape.intOffset !== 0)) {
      bitSize = shape.intBits;
      bitOffset += shape.intOffset!;
    }
    let layout: FieldLayout;
    if (bitSize > 0) {
      if (dims.length) this.fail(`${where}: an array cannot be a bit-field`);
      if (shape.kind !== 'int' && shape.kind !== 'enum' && shape.kind !== 'char') this.fail(`${where}: a bit-field of ${type}`);
      if (bitSize > shape.elementSize * 8) this.fail(`${where}: bit-field of ${bitSize} bits is wider than ${type} (${shape.elementSize * 8} bits)`);
      const unit = shape.elementSize;
      const offset = Math.floor(bitOffset / (unit * 8)) * unit;
      layout = field(m.name, type, shape, offset, unit, undefined, undefined, false);
      layout = { ...layout, bitOffset, bitSize };
    } else {
      if (bitOffset % 8 !== 0) this.fail(`${where}: member at bit ${bitOffset} is not byte aligned and not a bit-field`);
      const size = shape.elementSize * count;
      if (size > MAX_SIZE) this.fail(`${where}: array of ${count} x ${shape.elementSize} bytes is larger than 4 GiB`);
      layout = field(m.name, type, shape, bitOffset / 8, size, dims.length ? count : undefined, dims.length > 1 ? dims : undefined, last && dims[0] === 0);
    }
    return { layout, natural: shape.natural };
  }

  private isArray(id: number): boolean {
    for (let t = id, steps = 0; steps <= MAX_RESOLVE_DEPTH; steps++) {
      const kind = this.btf.kind(t);
      if (kind === BTF_KIND.ARRAY) return true;
      if (kind !== BTF_KIND.CONST && kind !== BTF_KIND.VOLATILE && kind !== BTF_KIND.RESTRICT && kind !== BTF_KIND.TYPE_TAG) return false;
      t = this.btf.type(t).sizeOrType;
    }
    return false;
  }

  /** Follow typedefs and qualifiers to the type that decides the bytes. */
  private shape(id: number, where: string, depth: number): Shape {
    let bigEndian = false;
    let t = id;
    for (let steps = 0; ; steps++) {
      if (steps > MAX_RESOLVE_DEPTH) this.fail(`${where}: typedef or qualifier chain deeper than ${MAX_RESOLVE_DEPTH} (a cycle?)`);
      const kind = this.btf.kind(t);
      if (kind === BTF_KIND.TYPEDEF) {
        if (/^__be(16|32|64)$/.test(this.btf.name(t))) bigEndian = true;
      } else if (kind !== BTF_KIND.CONST && kind !== BTF_KIND.VOLATILE && kind !== BTF_KIND.RESTRICT && kind !== BTF_KIND.TYPE_TAG) break;
      t = this.btf.type(t).sizeOrType;
    }
    if (t === 0) this.fail(`${where}: a member of type void`);
    const info = this.btf.type(t);
    const kind = BTF_KIND[info.kind];
    const natural = (size: number) => Math.min(size, this.maxAlign);
    switch (kind) {
      case BTF_KIND.INT: {
        const int = this.btf.intInfo(t);
        const size = info.sizeOrType;
        if (![1, 2, 4, 8, 16].includes(size)) this.fail(`${where}: integer ${info.name} of ${size} bytes`);
        if (int.bits === 0 || int.offset + int.bits > size * 8) this.fail(`${where}: integer ${info.name} has ${int.bits} bits at bit ${int.offset} in ${size} bytes`);
        const char = info.name === 'char';
        return { kind: char ? 'char' : 'int', elementSize: size, natural: natural(size), signed: !char && (int.encoding & BTF_INT_SIGNED) !== 0, bigEndian, intBits: int.bits, intOffset: int.offset };
      }
      case BTF_KIND.ENUM:
      case BTF_KIND.ENUM64: {
        const size = info.sizeOrType;
        if (![1, 2, 4, 8].includes(size)) this.fail(`${where}: enum of ${size} bytes`);
        return { kind: 'enum', elementSize: size, natural: natural(size), signed: info.kindFlag, bigEndian };
      }
      case BTF_KIND.FLOAT: {
        const size = info.sizeOrType;
        if (![2, 4, 8, 12, 16].includes(size)) this.fail(`${where}: floating-point type of ${size} bytes`);
        return { kind: 'float', elementSize: size, natural: natural(size === 12 ? 4 : size), signed: true, bigEndian };
      }
      case BTF_KIND.PTR: {
        const size = this.btf.pointerSize;
        return { kind: 'pointer', elementSize: size, natural: size, signed: false, bigEndian };
      }
      case BTF_KIND.STRUCT:
      case BTF_KIND.UNION: {
        const s = this.struct(t, depth + 1);
        return { kind: 'struct', elementSize: s.size, natural: s.align, signed: false, bigEndian, struct: s };
      }
      case BTF_KIND.ARRAY: {
        // An array behind a typedef (`typedef u8 uuid_t[16]`): one unit of the typedef's name.
        let count = 1;
        let e = t;
        for (let steps = 0; this.btf.kind(e) === BTF_KIND.ARRAY; steps++) {
          if (steps > MAX_RESOLVE_DEPTH) this.fail(`${where}: array chain deeper than ${MAX_RESOLVE_DEPTH}`);
          const a = this.btf.arrayInfo(e);
          count *= a.nelems;
          e = a.type;
        }
        const inner = this.shape(e, where, depth + 1);
        const size = inner.elementSize * count;
        if (size > MAX_SIZE) this.fail(`${where}: array of ${count} x ${inner.elementSize} bytes is larger than 4 GiB`);
        return { kind: inner.kind, elementSize: size, natural: inner.natural, signed: inner.signed, bigEndian: inner.bigEndian || bigEndian, ...(inner.struct ? { struct: inner.struct } : {}) };
      }
      case BTF_KIND.FWD:
        return this.fail(`${where}: member of incomplete type ${this.names.name(t)}`);
      default:
        return this.fail(`${where}: member of type ${t} (${info.kind}), which has no size`);
    }
  }
}

/** A FieldLayout of the model, built in one literal (no spreads: vmlinux has many members). */
function field(name: string, type: string, shape: Shape, offset: number, size: number, count: number | undefined, dims: number[] | undefined, flexible: boolean): FieldLayout {
  const f: { -readonly [K in keyof FieldLayout]: FieldLayout[K] } = {
    name,
    type,
    kind: shape.kind,
    offset,
    size,
    align: shape.natural,
    elementSize: shape.elementSize,
    flexible,
    signed: shape.signed,
    bigEndian: shape.bigEndian,
    address: false,
  };
  if (count !== undefined) f.count = count;
  if (dims !== undefined) f.dims = dims;
  if (shape.struct) f.struct = shape.struct;
  return f;
}

/** The smallest `__aligned(A)` that pads `end` bytes to `size`; undefined when none does. */
function explainingAlignment(end: number, size: number, min: number): number | undefined {
  for (let a = min; a <= size; a *= 2) if (alignUp(end, a) === size) return a;
  return undefined;
}
