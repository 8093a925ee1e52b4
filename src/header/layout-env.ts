import type { FieldLayout, StructLayout } from '../layout/engine.js';
import type { ExprEnv, MemberStep, TypeName } from './expr.js';
import { HeaderError } from './header-error.js';
import type { Macro } from './preprocessor.js';
import { scalarTypeSize, startsScalarType } from './scalar-types.js';
import type { Token } from './tokenize.js';

/** The structs laid out so far and the enum constants: what sizeof, offsetof and macros resolve against. */
export class LayoutEnv {
  readonly layouts = new Map<string, StructLayout>();
  private readonly constants = new Map<string, Token>();

  /** Record a laid-out struct or union. */
  add(layout: StructLayout): void {
    this.layouts.set(layout.name, layout);
  }

  /** Record an enum constant. */
  addConstant(name: string, value: bigint, at: Token): void {
    this.constants.set(name, { ...at, kind: 'number', text: String(value), value });
  }

  /** The expression environment over these layouts and a macro table. */
  exprEnv(macros: ReadonlyMap<string, Macro>): ExprEnv {
    return {
      macro: (name, pos) => {
        const c = this.constants.get(name);
        if (c) return [c];
        const m = macros.get(name);
        if (m?.functionLike) throw new HeaderError(pos, `function-like macro ${name}() is not supported here`);
        return m?.tokens;
      },
      isTypeStart: startsScalarType,
      sizeOf: (t) => this.sizeAlign(t).size,
      alignOf: (t) => this.sizeAlign(t).align,
      member: (t, path, size) => {
        const f = this.member(t, path);
        return size ? f.size : f.offset;
      },
    };
  }

  private aggregate(t: TypeName): StructLayout {
    const s = this.layouts.get(t.name);
    if (!s || (s.union === true) !== (t.tag === 'union')) throw new HeaderError(t.pos, `${t.tag} ${t.name} is not defined before this point`);
    return s;
  }

  private sizeAlign(t: TypeName): { size: number; align: number } {
    if (t.pointer) return { size: 8, align: 8 };
    if (t.tag !== 'scalar') {
      const s = this.aggregate(t);
      return { size: s.size, align: s.align };
    }
    const size = scalarTypeSize(t.name);
    if (size === undefined) throw new HeaderError(t.pos, `unknown type ${t.name}`);
    return { size, align: size };
  }

  /** The member a designator names, with its offset from the start of the outer struct. */
  private member(t: TypeName, path: readonly MemberStep[]): { offset: number; size: number } {
    if (t.tag === 'scalar') throw new HeaderError(t.pos, `offsetof needs a struct or union, not ${t.name}`);
    let s: StructLayout | undefined = this.aggregate(t);
    let offset = 0;
    let size = s.size;
    let field: FieldLayout | undefined;
    for (const step of path) {
      if ('field' in step) {
        if (!s) throw new HeaderError(t.pos, `.${step.field}: not a struct or union member`);
        field = s.fields.find((f) => f.name === step.field);
        if (!field) throw new HeaderError(t.pos, `${s.union ? 'union' : 'struct'} ${s.name} has no member ${step.field}`);
        offset += field.offset;
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
