import type { FieldDef, StructDef } from '../schema/types.js';
import { evaluate, type ExprEnv } from './expr.js';
import { HeaderError, type SourcePos } from './header-error.js';
import type { Preprocessor } from './preprocessor.js';
import { memberType, scalarTypeSize } from './scalar-types.js';
import type { Token } from './tokenize.js';

/** A struct or union definition as written, before docs are attached. */
export interface StructDecl {
  readonly def: StructDef;
  readonly pos: SourcePos;
  readonly fieldPos: ReadonlyMap<string, SourcePos>;
}

interface Attrs {
  packed?: boolean;
  aligned?: number;
}

/** Attributes that do not change the layout (bounds annotations, string hints). */
const NO_LAYOUT_EFFECT = new Set(['counted_by', 'counted_by_le', 'counted_by_be', 'nonstring']);

function expect(pp: Preprocessor, text: string, what: string, at: SourcePos): Token {
  const t = pp.next();
  if (!t) throw new HeaderError(at, `expected '${text}' ${what}, found the end of the file`);
  if (t.text !== text) throw new HeaderError(t.pos, `expected '${text}' ${what}, found '${t.text}'`);
  return t;
}

/** Tokens up to the `close` that balances an already consumed opener (nesting counted). */
export function balanced(pp: Preprocessor, open: string, close: string, at: SourcePos): Token[] {
  const out: Token[] = [];
  let depth = 0;
  for (;;) {
    const t = pp.next();
    if (!t) throw new HeaderError(at, `'${open}' is never closed`);
    if (t.text === open) depth++;
    if (t.text === close && depth-- === 0) return out;
    out.push(t);
  }
}

function alignment(tokens: Token[], env: ExprEnv, at: SourcePos): number {
  if (tokens.length === 0) throw new HeaderError(at, '__aligned needs an explicit alignment here');
  const n = Number(evaluate(tokens, env, at));
  if (!Number.isSafeInteger(n) || n < 1 || (n & (n - 1)) !== 0) throw new HeaderError(at, `alignment ${n} is not a power of two`);
  return n;
}

/** `__packed`, `__aligned(n)`, `__attribute__((packed, aligned(n)))`, `__counted_by(x)`… in any order. */
function attributes(pp: Preprocessor, env: ExprEnv, into: Attrs): void {
  for (let t = pp.peek(); t?.kind === 'ident'; t = pp.peek()) {
    const word = t.text;
    if (word === '__packed') {
      pp.next();
      into.packed = true;
    } else if (word === '__aligned') {
      pp.next();
      const open = expect(pp, '(', 'after __aligned', t.pos);
      into.aligned = alignment(balanced(pp, '(', ')', open.pos), env, t.pos);
    } else if (word.startsWith('__counted_by') || word === '__nonstring') {
      pp.next();
      if (pp.peek()?.text === '(') balanced(pp, '(', ')', pp.next()!.pos);
    } else if (word === '__attribute__' || word === '__attribute') {
      pp.next();
      const open = expect(pp, '(', `after ${word}`, t.pos);
      expect(pp, '(', `after ${word}(`, open.pos);
      gnuAttributes(balanced(pp, '(', ')', open.pos), env, into);
      expect(pp, ')', `closing ${word}((…))`, open.pos);
    } else {
      return;
    }
  }
}

function gnuAttributes(tokens: Token[], env: ExprEnv, into: Attrs): void {
  let i = 0;
  while (i < tokens.length) {
    const name = tokens[i++]!;
    if (name.kind !== 'ident') throw new HeaderError(name.pos, `expected an attribute name, found '${name.text}'`);
    const bare = name.text.replace(/^__(.*)__$/, '$1');
    let args: Token[] | undefined;
    if (tokens[i]?.text === '(') {
      let depth = 0;
      const start = ++i;
      for (; i < tokens.length; i++) {
        if (tokens[i]!.text === '(') depth++;
        if (tokens[i]!.text === ')' && depth-- === 0) break;
      }
      if (i >= tokens.length) throw new HeaderError(name.pos, `attribute ${name.text}( is never closed`);
      args = tokens.slice(start, i++);
    }
    if (bare === 'packed' && !args) into.packed = true;
    else if (bare === 'aligned') into.aligned = alignment(args ?? [], env, name.pos);
    else if (!NO_LAYOUT_EFFECT.has(bare)) throw new HeaderError(name.pos, `attribute '${name.text}' is not understood (understood: packed, aligned(n), counted_by)`);
    if (i < tokens.length) {
      if (tokens[i]!.text !== ',') throw new HeaderError(tokens[i]!.pos, `expected ',' between attributes, found '${tokens[i]!.text}'`);
      i++;
    }
  }
}

/**
 * Parse `struct NAME { members } attributes;` (or a union) at the stream's position.
 * Returns undefined for a forward declaration `struct NAME;`.
 */
export function parseStruct(pp: Preprocessor, env: ExprEnv): StructDecl | undefined {
  const kw = pp.next()!;
  const tag = kw.text as 'struct' | 'union';
  const attrs: Attrs = {};
  attributes(pp, env, attrs);
  const name = pp.next();
  if (!name || name.kind !== 'ident') throw new HeaderError(name?.pos ?? kw.pos, `anonymous top-level ${tag}s are not supported: give it a name`);
  const after = pp.peek();
  if (after?.text === ';') {
    pp.next();
    return undefined;
  }
  if (after?.text !== '{') {
    throw new HeaderError(after?.pos ?? name.pos, `expected '{' after ${tag} ${name.text} (only struct and union definitions are understood at top level)`);
  }
  const open = pp.next()!;
  const fields: FieldDef[] = [];
  const fieldPos = new Map<string, SourcePos>();
  while (pp.peek()?.text !== '}') {
    if (!pp.peek()) throw new HeaderError(open.pos, `${tag} ${name.text}: '{' is never closed`);
    for (const [f, pos] of member(pp, env, tag, name.text)) {
      if (fieldPos.has(f.name)) throw new HeaderError(pos, `duplicate member ${f.name}`);
      fields.push(f);
      fieldPos.set(f.name, pos);
    }
  }
  pp.next();
  attributes(pp, env, attrs);
  const end = pp.next();
  if (end?.text !== ';') throw new HeaderError(end?.pos ?? open.pos, `expected ';' after the ${tag} ${name.text} definition${end ? `, found '${end.text}'` : ''}`);
  if (fields.length === 0) throw new HeaderError(name.pos, `${tag} ${name.text} has no members`);
  const def: StructDef = {
    name: name.text,
    ...(tag === 'union' ? { union: true } : {}),
    ...(attrs.packed ? { packed: true } : {}),
    ...(attrs.aligned ? { aligned: attrs.aligned } : {}),
    fields,
  };
  return { def, pos: kw.pos, fieldPos };
}

type MemberType = FieldDef['type'];

function memberTypeName(pp: Preprocessor, owner: string): { type: MemberType; pos: SourcePos } {
  const t = pp.next()!;
  if (t.kind !== 'ident') throw new HeaderError(t.pos, `${owner}: expected a member type, found '${t.text}'`);
  if (t.text === 'struct' || t.text === 'union') {
    const n = pp.next();
    if (n?.text === '{') throw new HeaderError(n.pos, `${owner}: nested anonymous ${t.text} definitions are not supported; declare ${t.text} separately and name it`);
    if (!n || n.kind !== 'ident') throw new HeaderError(n?.pos ?? t.pos, `${owner}: expected a ${t.text} name`);
    if (pp.peek()?.text === '{') throw new HeaderError(pp.peek()!.pos, `${owner}: a ${t.text} defined inside another is not supported; define ${t.text} ${n.text} at top level`);
    return { type: `${t.text} ${n.text}`, pos: t.pos };
  }
  const scalar = memberType(t.text);
  if (scalar) return { type: scalar, pos: t.pos };
  if (scalarTypeSize(t.text) !== undefined || ['const', 'volatile', 'bool', 'enum', 'void'].includes(t.text)) {
    throw new HeaderError(t.pos, `${owner}: member type '${t.text}' is not a fixed-width kernel type (use u8/u16/u32/u64, s8..s64, __le*/__be*, char)`);
  }
  throw new HeaderError(t.pos, `${owner}: unknown member type '${t.text}'${pp.peek()?.text === '(' ? ' (member-declaring macros are not supported)' : ''}`);
}

function member(pp: Preprocessor, env: ExprEnv, tag: string, structName: string): Array<[FieldDef, SourcePos]> {
  const owner = `${tag} ${structName}`;
  const lead: Attrs = {};
  attributes(pp, env, lead);
  const { type, pos: typePos } = memberTypeName(pp, owner);
  const out: Array<[FieldDef, SourcePos]> = [];
  for (;;) {
    const attrs: Attrs = { ...lead };
    attributes(pp, env, attrs);
    const id = pp.next();
    if (id?.text === '*') throw new HeaderError(id.pos, `${owner}: pointer members are not ABI-stable; store a u64 physical address`);
    if (!id || id.kind !== 'ident') throw new HeaderError(id?.pos ?? typePos, `${owner}: expected a member name${id ? `, found '${id.text}'` : ''}`);
    let count: number | undefined;
    let flexible = false;
    if (pp.peek()?.text === '[') {
      const open = pp.next()!;
      const size = balanced(pp, '[', ']', open.pos);
      if (size.length === 0) flexible = true;
      else {
        const n = evaluate(size, env, size[0]!.pos);
        if (n < 0n || n > BigInt(Number.MAX_SAFE_INTEGER)) throw new HeaderError(size[0]!.pos, `${owner}.${id.text}: array length ${n} is out of range`);
        count = Number(n);
      }
      if (pp.peek()?.text === '[') throw new HeaderError(pp.peek()!.pos, `${owner}.${id.text}: multi-dimensional arrays are not supported`);
    }
    if (pp.peek()?.text === ':') throw new HeaderError(pp.peek()!.pos, `${owner}.${id.text}: bit-fields are not supported (their layout is compiler-defined)`);
    attributes(pp, env, attrs);
    if (attrs.packed) throw new HeaderError(id.pos, `${owner}.${id.text}: packed on a member is not supported; pack the struct`);
    out.push([
      {
        name: id.text,
        type,
        ...(count !== undefined ? { count } : {}),
        ...(flexible ? { flexible: true } : {}),
        ...(attrs.aligned ? { aligned: attrs.aligned } : {}),
      },
      id.pos,
    ]);
    const sep = pp.next();
    if (sep?.text === ';') return out;
    if (sep?.text !== ',') throw new HeaderError(sep?.pos ?? id.pos, `${owner}.${id.text}: expected ';'${sep ? `, found '${sep.text}'` : ''}`);
  }
}
