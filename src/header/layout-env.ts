import type { FieldLayout, StructLayout } from '../layout/engine.js';
import type { ExprEnv, MemberStep, TypeName } from './expr.js';
import { HeaderError, formatPos, type SourcePos } from './header-error.js';
import { pointerInfo, scalarTypes, type ScalarInfo, type Target } from './target.js';

/** A C type as a declaration names it. */
export type CType =
  | { readonly k: 'scalar'; readonly info: ScalarInfo }
  | { readonly k: 'enum'; readonly info: ScalarInfo }
  | { readonly k: 'pointer'; readonly info: ScalarInfo }
  | { readonly k: 'record'; readonly tag: 'struct' | 'union'; readonly name: string; readonly layout?: StructLayout }
  | { readonly k: 'void' };

/** A typedef: the type and the alignment its attributes add. */
export interface Typedef {
  readonly type: CType;
  readonly text: string;
  readonly dims: readonly number[];
  readonly aligned?: number;
}

/** A struct an included header defines but that could not be laid out, and why. */
interface Broken {
  readonly error: HeaderError;
}

const KEYWORDS = new Set(['unsigned', 'signed', 'char', 'short', 'int', 'long', '_Bool', 'bool', 'float', 'double', 'void', '__signed__', '__int128']);

/** C's type-specifier words in any order (`long unsigned int`) as one canonical name (`unsigned long`), or undefined. */
export function canonicalScalar(words: readonly string[]): string | undefined {
  let unsigned = false;
  let longs = 0;
  let base: string | undefined;
  for (const w of words) {
    if (w === 'unsigned') unsigned = true;
    else if (w === 'signed' || w === '__signed__') continue;
    else if (w === 'long') longs++;
    else if (w === 'int' && base === undefined) continue;
    else if (base === undefined) base = w;
    else return undefined;
  }
  const signedChar = words.includes('signed') || words.includes('__signed__');
  if (base === 'char') return unsigned ? 'unsigned char' : signedChar ? 'signed char' : 'char';
  if (base === 'short') return unsigned ? 'unsigned short' : 'short';
  if (base === 'bool' || base === '_Bool') return '_Bool';
  if (base === 'double') return longs ? 'long double' : 'double';
  if (base !== undefined) return base;
  if (longs === 1) return unsigned ? 'unsigned long' : 'long';
  if (longs === 2) return unsigned ? 'unsigned long long' : 'long long';
  return unsigned ? 'unsigned int' : 'int';
}

/** Whether a word is a C type-specifier keyword. */
export function isTypeKeyword(word: string): boolean {
  return KEYWORDS.has(word);
}

/** The tags, typedefs and enum constants declared so far, on one target: what declarations and expressions resolve against. */
export class TypeEnv {
  readonly scalars: ReadonlyMap<string, ScalarInfo>;
  readonly pointer: ScalarInfo;
  private readonly records = new Map<string, StructLayout | Broken | null>();
  private readonly enums = new Map<string, ScalarInfo>();
  readonly typedefs = new Map<string, Typedef>();
  private readonly constants = new Map<string, bigint>();

  constructor(readonly target: Target) {
    this.scalars = scalarTypes(target);
    this.pointer = pointerInfo(target);
  }

  /** Record a struct or union: laid out, only declared (null), or broken in an included header. */
  setRecord(tag: 'struct' | 'union', name: string, value: StructLayout | HeaderError | null): void {
    const key = `${tag} ${name}`;
    if (value === null && this.records.get(key)) return;
    this.records.set(key, value instanceof HeaderError ? { error: value } : value);
  }

  /** A struct or union by tag; throws why it cannot be used by value when `complete`. */
  record(tag: 'struct' | 'union', name: string, pos: SourcePos, complete: boolean): CType {
    const r = this.records.get(`${tag} ${name}`);
    if (r && 'error' in r) {
      if (complete) throw new HeaderError(pos, `${tag} ${name} cannot be laid out: ${formatPos(r.error.pos)}: ${r.error.reason}`);
      return { k: 'record', tag, name };
    }
    if (!r && complete) throw new HeaderError(pos, `${tag} ${name} is not defined before this point`);
    return r ? { k: 'record', tag, name, layout: r } : { k: 'record', tag, name };
  }

  setEnum(name: string, info: ScalarInfo): void {
    this.enums.set(name, info);
  }

  enumType(name: string): ScalarInfo | undefined {
    return this.enums.get(name);
  }

  addConstant(name: string, value: bigint): void {
    this.constants.set(name, value);
  }

  /** A scalar or typedef name, or canonical keyword words. */
  named(name: string): Typedef | undefined {
    const td = this.typedefs.get(name);
    if (td) return td;
    const canon = name.includes(' ') || isTypeKeyword(name) ? canonicalScalar(name.split(' ')) : name;
    if (canon === 'void') return { type: { k: 'void' }, text: 'void', dims: [] };
    const info = canon ? this.scalars.get(canon) : undefined;
    return info ? { type: { k: 'scalar', info }, text: name === '_Bool' ? 'bool' : name, dims: [] } : undefined;
  }

  /** The expression environment over these types. */
  exprEnv(): ExprEnv {
    return {
      constant: (name) => this.constants.get(name),
      isTypeStart: (w) => isTypeKeyword(w) || this.typedefs.has(w) || this.scalars.has(w),
      sizeOf: (t) => this.sizeAlign(t).size,
      alignOf: (t) => this.sizeAlign(t).align,
      isSigned: (t) => {
        const td = t.tag === 'scalar' ? this.named(t.name) : undefined;
        return td !== undefined && (td.type.k === 'scalar' || td.type.k === 'enum') && td.type.info.signed && !t.pointer;
      },
      member: (t, path, size) => {
        const f = this.member(t, path);
        return size ? f.size : f.offset;
      },
    };
  }

  private sizeAlign(t: TypeName): { size: number; align: number } {
    if (t.pointer) return { size: this.pointer.size, align: this.pointer.align };
    if (t.tag === 'struct' || t.tag === 'union') {
      const r = this.record(t.tag, t.name, t.pos, true) as { layout: StructLayout };
      return { size: r.layout.size, align: r.layout.align };
    }
    if (t.tag === 'enum') {
      const e = this.enums.get(t.name);
      if (!e) throw new HeaderError(t.pos, `enum ${t.name} is not defined before this point`);
      return e;
    }
    const td = this.named(t.name);
    if (!td || td.type.k === 'void') throw new HeaderError(t.pos, `unknown type ${t.name}`);
    const one = td.type.k === 'record' ? (td.type.layout ?? this.fail(t)) : td.type.info;
    const count = td.dims.reduce((a, b) => a * b, 1);
    return { size: one.size * count, align: Math.max(one.align, td.aligned ?? 1) };
  }

  private fail(t: TypeName): never {
    throw new HeaderError(t.pos, `${t.name} is an incomplete type`);
  }

  /** The member a designator names, with its offset from the start of the outer struct. */
  private member(t: TypeName, path: readonly MemberStep[]): { offset: number; size: number } {
    const td = t.tag === 'scalar' ? this.named(t.name) : undefined;
    const start = t.tag === 'struct' || t.tag === 'union' ? (this.record(t.tag, t.name, t.pos, true) as { layout: StructLayout }).layout : td?.type.k === 'record' ? td.type.layout : undefined;
    if (!start) throw new HeaderError(t.pos, `offsetof needs a struct or union, not ${t.name}`);
    let s: StructLayout | undefined = start;
    let offset = 0;
    let size = s.size;
    let field: FieldLayout | undefined;
    for (const step of path) {
      if ('field' in step) {
        if (!s) throw new HeaderError(t.pos, `.${step.field}: not a struct or union member`);
        const found = findMember(s, step.field);
        if (!found) throw new HeaderError(t.pos, `${s.union ? 'union' : 'struct'} ${s.name || '(anonymous)'} has no member ${step.field}`);
        field = found.field;
        if (field.bitSize !== undefined) throw new HeaderError(t.pos, `${step.field} is a bit-field: it has no byte offset or size`);
        offset += found.offset;
        size = field.size;
        s = field.count === undefined && !field.flexible ? field.struct : undefined;
      } else {
        if (!field || (field.count === undefined && !field.flexible)) throw new HeaderError(t.pos, `[${step.index}]: not an array`);
        offset += step.index * field.elementSize;
        size = field.elementSize;
        s = field.struct;
        field = undefined;
      }
    }
    return { offset, size };
  }
}

/** A member by name, looking through anonymous struct and union members as C does. */
export function findMember(s: StructLayout, name: string): { field: FieldLayout; offset: number } | undefined {
  for (const f of s.fields) {
    if (f.name === name) return { field: f, offset: f.offset };
    if (f.name === '' && f.struct) {
      const inner = findMember(f.struct, name);
      if (inner) return { field: inner.field, offset: f.offset + inner.offset };
    }
  }
  return undefined;
}
