import { layoutRecord, type MemberSpec, type StructLayout } from '../layout/engine.js';
import { evaluate } from './expr.js';
import { HeaderError, type SourcePos } from './header-error.js';
import { parseKernelDoc, type KernelDoc } from './kernel-doc.js';
import { canonicalScalar, isTypeKeyword, type CType, type TypeEnv } from './layout-env.js';
import type { Token } from './tokenize.js';

/** Tokens of one declaration, read front to back. */
export class TokenList {
  private i = 0;
  constructor(
    readonly tokens: readonly Token[],
    private readonly endPos: SourcePos,
  ) {}

  peek(k = 0): Token | undefined {
    return this.tokens[this.i + k];
  }

  next(): Token | undefined {
    return this.tokens[this.i++];
  }

  /** Where the declaration ends, for "ends too early" errors. */
  get end(): SourcePos {
    return this.tokens.at(-1)?.pos ?? this.endPos;
  }

  expect(text: string, what: string): Token {
    const t = this.next();
    if (!t) throw new HeaderError(this.end, `expected '${text}' ${what}, found the end of the declaration`);
    if (t.text !== text) throw new HeaderError(t.pos, `expected '${text}' ${what}, found '${t.text}'`);
    return t;
  }

  /** Tokens up to the `close` that balances an already consumed opener. */
  balanced(open: string, close: string, at: SourcePos): Token[] {
    const out: Token[] = [];
    let depth = 0;
    for (;;) {
      const t = this.next();
      if (!t) throw new HeaderError(at, `'${open}' is never closed`);
      if (t.text === open) depth++;
      if (t.text === close && depth-- === 0) return out;
      out.push(t);
    }
  }
}

/** A struct or union with a tag defined in the header, with where its parts are. */
export interface RecordDecl {
  readonly layout: StructLayout;
  readonly pos: SourcePos;
  readonly fieldPos: ReadonlyMap<string, SourcePos>;
}

/** What declarations need around them: the types so far, kernel-doc comments, and a sink for defined records. */
export interface DeclContext {
  readonly env: TypeEnv;
  readonly docs: readonly { readonly text: string; readonly pos: SourcePos }[];
  readonly onRecord: (r: RecordDecl) => void;
}

interface Attrs {
  packed?: boolean;
  aligned?: number;
}

/** Attributes that do not change the layout. */
const NO_LAYOUT_EFFECT = new Set([
  'counted_by', 'nonstring', 'unused', 'used', 'deprecated', 'designated_init', 'may_alias', 'preserve_access_index',
  'btf_type_tag', 'btf_decl_tag', 'no_randomize_layout', 'warn_unused_result', 'noderef', 'address_space', 'context',
  'section', 'cold', 'hot', 'noinline', 'always_inline', 'const', 'pure', 'format', 'nonnull', 'visibility', 'weak',
]);
const QUALIFIERS = new Set([
  'const', 'volatile', 'restrict', '__restrict', '__restrict__', '__volatile__', '__const', 'static', 'extern', 'inline',
  '__inline', '__inline__', 'register', 'auto', '_Thread_local', '__extension__', '_Noreturn', '__always_inline',
]);

/** The largest alignment `__attribute__((aligned))` gives on the target (gcc's BIGGEST_ALIGNMENT). */
const biggestAlignment = (env: TypeEnv) => (env.target.arch === 'i386' ? 16 : 16);

function attributeList(ts: TokenList, ctx: DeclContext, into: Attrs): void {
  for (let t = ts.peek(); t?.kind === 'ident'; t = ts.peek()) {
    if (t.text === '__attribute__' || t.text === '__attribute') {
      ts.next();
      const open = ts.expect('(', `after ${t.text}`);
      ts.expect('(', `after ${t.text}(`);
      gnuAttributes(ts.balanced('(', ')', open.pos), ctx, into);
      ts.expect(')', `closing ${t.text}((…))`);
    } else if (t.text === '_Alignas' || t.text === 'alignas') {
      ts.next();
      const open = ts.expect('(', `after ${t.text}`);
      into.aligned = Math.max(into.aligned ?? 1, alignment(ts.balanced('(', ')', open.pos), ctx, t.pos));
    } else return;
  }
}

function alignment(tokens: Token[], ctx: DeclContext, at: SourcePos): number {
  const n = Number(evaluate(tokens, ctx.env.exprEnv(), at));
  if (!Number.isSafeInteger(n) || n < 1 || (n & (n - 1)) !== 0) throw new HeaderError(at, `alignment ${n} is not a power of two`);
  return n;
}

function gnuAttributes(tokens: Token[], ctx: DeclContext, into: Attrs): void {
  let i = 0;
  while (i < tokens.length) {
    const name = tokens[i++]!;
    if (name.text === ',') continue;
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
    else if (bare === 'aligned') into.aligned = Math.max(into.aligned ?? 1, args?.length ? alignment(args, ctx, name.pos) : biggestAlignment(ctx.env));
    else if (!NO_LAYOUT_EFFECT.has(bare)) throw new HeaderError(name.pos, `attribute '${name.text}' is not understood (understood: packed, aligned(n), and attributes without layout effect)`);
  }
}

/** The type part of a declaration: specifiers, qualifiers and attributes. */
export interface Specifiers {
  readonly type: CType;
  /** The type as written: `u64`, `unsigned long`, `struct x`, `union` (anonymous). */
  readonly text: string;
  readonly dims: readonly number[];
  readonly attrs: Attrs;
  readonly typedef: boolean;
  readonly pos: SourcePos;
}

/** Read declaration specifiers (defining any struct, union or enum they contain). */
export function specifiers(ts: TokenList, ctx: DeclContext): Specifiers {
  const attrs: Attrs = {};
  const words: string[] = [];
  let typedef = false;
  let found: { type: CType; text: string; dims: readonly number[]; aligned?: number } | undefined;
  const start = ts.peek()?.pos ?? ts.end;
  for (let t = ts.peek(); t; t = ts.peek()) {
    if (t.kind !== 'ident') break;
    if (QUALIFIERS.has(t.text)) ts.next();
    else if (t.text === 'typedef') {
      ts.next();
      typedef = true;
    } else if (t.text === '__attribute__' || t.text === '__attribute' || t.text === '_Alignas' || t.text === 'alignas') attributeList(ts, ctx, attrs);
    else if (!found && !words.length && (t.text === 'struct' || t.text === 'union')) found = { ...record(ts, ctx), dims: [] };
    else if (!found && !words.length && t.text === 'enum') found = { ...enumType(ts, ctx), dims: [] };
    else if (!found && isTypeKeyword(t.text)) words.push(ts.next()!.text);
    else if (!found && !words.length && ctx.env.named(t.text)) {
      ts.next();
      found = ctx.env.named(t.text)!;
    } else break;
  }
  if (words.length) {
    if (words.includes('__int128') || (words.includes('long') && words.includes('double'))) throw new HeaderError(start, `${words.join(' ')} is not supported (no fixed layout across the targets)`);
    const canon = canonicalScalar(words);
    const td = canon ? ctx.env.named(canon) : undefined;
    if (!td) throw new HeaderError(start, `'${words.join(' ')}' is not a valid type`);
    found = { ...td, text: canon === '_Bool' ? 'bool' : canon! };
  }
  if (!found) {
    const t = ts.peek();
    throw new HeaderError(t?.pos ?? ts.end, t ? `unknown type '${t.text}'${ts.peek(1)?.text === '(' ? ' (a macro that is not defined?)' : ''}` : 'expected a type');
  }
  if (found.aligned) attrs.aligned = Math.max(attrs.aligned ?? 1, found.aligned);
  return { type: found.type, text: found.text, dims: found.dims, attrs, typedef, pos: start };
}

/** One declarator: `*name[2][3] : 4 __aligned(8)`. */
export interface Declarator {
  readonly name: string;
  readonly pos: SourcePos;
  readonly type: CType;
  readonly text: string;
  readonly dims: readonly number[];
  readonly flexible: boolean;
  readonly bits?: number;
  readonly attrs: Attrs;
  /** A function declarator `name(…)`. */
  readonly fn: boolean;
}

/** Read one declarator after the specifiers. */
export function declarator(ts: TokenList, ctx: DeclContext, spec: Specifiers): Declarator {
  const attrs: Attrs = { ...spec.attrs };
  attributeList(ts, ctx, attrs);
  let type = spec.type;
  let text = spec.text;
  let fn = false;
  let pointer = false;
  while (ts.peek()?.text === '*') {
    ts.next();
    pointer = true;
    text += ' *';
    while (ts.peek() && QUALIFIERS.has(ts.peek()!.text)) ts.next();
    attributeList(ts, ctx, attrs);
  }
  let nameTok: Token | undefined;
  if (ts.peek()?.text === '(' && ts.peek(1)?.text === '*') {
    // a function pointer `(*name)(args)` or a pointer to an array
    const open = ts.next()!;
    const inner = ts.balanced('(', ')', open.pos);
    nameTok = inner.find((x) => x.kind === 'ident');
    pointer = true;
    text += ' (*)';
    if (ts.peek()?.text === '(') ts.balanced('(', ')', ts.next()!.pos);
  } else if (ts.peek()?.kind === 'ident' && !['__attribute__', '__attribute'].includes(ts.peek()!.text)) {
    nameTok = ts.next();
  }
  const dims: number[] = [...spec.dims];
  let flexible = false;
  const own: number[] = [];
  while (ts.peek()?.text === '[') {
    const open = ts.next()!;
    const size = ts.balanced('[', ']', open.pos);
    if (size.length === 0) {
      if (own.length || flexible) throw new HeaderError(open.pos, 'only the first dimension of an array may be left out');
      flexible = true;
      continue;
    }
    const n = evaluate(size, ctx.env.exprEnv(), size[0]!.pos);
    if (n < 0n || n > BigInt(Number.MAX_SAFE_INTEGER)) throw new HeaderError(size[0]!.pos, `array length ${n} is out of range`);
    own.push(Number(n));
  }
  dims.unshift(...own);
  if (ts.peek()?.text === '(') {
    ts.balanced('(', ')', ts.next()!.pos);
    fn = true;
  }
  let bits: number | undefined;
  if (ts.peek()?.text === ':') {
    const colon = ts.next()!;
    const expr: Token[] = [];
    while (ts.peek() && ![',', ';'].includes(ts.peek()!.text) && !['__attribute__', '__attribute'].includes(ts.peek()!.text)) expr.push(ts.next()!);
    if (!expr.length) throw new HeaderError(colon.pos, 'a bit-field needs a width');
    const w = evaluate(expr, ctx.env.exprEnv(), expr[0]!.pos);
    if (w < 0n || w > 128n) throw new HeaderError(expr[0]!.pos, `bit-field width ${w} is out of range`);
    bits = Number(w);
  }
  attributeList(ts, ctx, attrs);
  if (pointer) type = { k: 'pointer', info: ctx.env.pointer };
  return { name: nameTok?.text ?? '', pos: nameTok?.pos ?? spec.pos, type, text, dims, flexible, ...(bits !== undefined ? { bits } : {}), attrs, fn };
}

/** `struct|union [attrs] [TAG] [{ members }] [attrs]`: a reference, or a definition laid out at once. */
function record(ts: TokenList, ctx: DeclContext): { type: CType; text: string } {
  const kw = ts.next()!;
  const tag = kw.text as 'struct' | 'union';
  const attrs: Attrs = {};
  attributeList(ts, ctx, attrs);
  const name = ts.peek()?.kind === 'ident' && !['__attribute__', '__attribute'].includes(ts.peek()!.text) ? ts.next()! : undefined;
  attributeList(ts, ctx, attrs);
  if (ts.peek()?.text !== '{') {
    if (!name) throw new HeaderError(kw.pos, `expected a ${tag} name or '{'`);
    if (ts.peek()?.text === ';') ctx.env.setRecord(tag, name.text, null);
    return { type: ctx.env.record(tag, name.text, name.pos, false), text: `${tag} ${name.text}` };
  }
  const open = ts.next()!;
  const members: MemberSpec[] = [];
  const fieldPos = new Map<string, SourcePos>();
  const owner = `${tag} ${name?.text ?? '(anonymous)'}`;
  while (ts.peek()?.text !== '}') {
    if (!ts.peek()) throw new HeaderError(open.pos, `${owner}: '{' is never closed`);
    for (const [m, pos] of memberDecl(ts, ctx, owner)) {
      if (m.name && fieldPos.has(m.name)) throw new HeaderError(pos, `${owner}: duplicate member ${m.name}`);
      members.push(m);
      if (m.name) fieldPos.set(m.name, pos);
    }
  }
  const close = ts.next()!;
  attributeList(ts, ctx, attrs);
  if (members.length === 0) throw new HeaderError(open.pos, `${owner} has no members (an empty struct has size 0 only in GNU C)`);
  const docs = memberDocs(ctx, tag, name?.text, kw.pos, open.pos, close.pos);
  let layout: StructLayout;
  try {
    layout = layoutRecord({
      name: name?.text ?? '',
      ...(tag === 'union' ? { union: true } : {}),
      ...(attrs.packed ? { packed: true } : {}),
      ...(attrs.aligned ? { aligned: attrs.aligned } : {}),
      members: members.map((m) => (docs.members.get(m.name) ? { ...m, doc: docs.members.get(m.name)! } : m)),
      ...(docs.summary ? { doc: docs.summary } : {}),
    });
  } catch (e) {
    throw new HeaderError(kw.pos, (e as Error).message);
  }
  if (name) {
    ctx.env.setRecord(tag, name.text, layout);
    ctx.onRecord({ layout, pos: kw.pos, fieldPos });
  }
  return { type: { k: 'record', tag, name: name?.text ?? '', layout }, text: name ? `${tag} ${name.text}` : tag };
}

const before = (a: SourcePos, b: SourcePos) => a.file === b.file && (a.line < b.line || (a.line === b.line && a.column < b.column));

/** Kernel-doc of a struct: the last `struct NAME -` block before it, and in-line `@member:` blocks inside it. */
function memberDocs(ctx: DeclContext, tag: string, name: string | undefined, kw: SourcePos, open: SourcePos, close: SourcePos): { summary?: string; members: Map<string, string> } {
  const parsed = (d: { text: string }) => parseKernelDoc(d.text);
  let block: KernelDoc | undefined;
  const members = new Map<string, string>();
  if (name) {
    for (const d of ctx.docs) {
      if (!before(d.pos, kw)) continue;
      const k = parsed(d);
      if (k.kind === tag && k.name === name) block = k;
    }
    for (const [k, v] of block?.members ?? []) members.set(k, v);
  }
  for (const d of ctx.docs) if (before(open, d.pos) && before(d.pos, close)) for (const [k, v] of parsed(d).members) members.set(k, v);
  return { ...(block?.summary ? { summary: block.summary } : {}), members };
}

/** One member declaration inside a struct or union, up to its `;`. */
function memberDecl(ts: TokenList, ctx: DeclContext, owner: string): Array<[MemberSpec, SourcePos]> {
  const first = ts.peek()!;
  if (first.text === ';') {
    ts.next();
    return [];
  }
  if (first.text === 'static_assert' || first.text === '_Static_assert') {
    ts.next();
    ts.balanced('(', ')', ts.expect('(', `after ${first.text}`).pos);
    ts.expect(';', `after ${first.text}(…)`);
    return [];
  }
  const spec = specifiers(ts, ctx);
  const out: Array<[MemberSpec, SourcePos]> = [];
  if (ts.peek()?.text === ';') {
    ts.next();
    // `struct { … };` inside a struct is an anonymous member; a tagged one only declares its tag
    if (spec.type.k === 'record' && spec.type.name === '') out.push([member(ctx, owner, spec, { name: '', pos: spec.pos, type: spec.type, text: spec.text, dims: [], flexible: false, attrs: spec.attrs, fn: false }), spec.pos]);
    return out;
  }
  for (;;) {
    const d = declarator(ts, ctx, spec);
    if (d.fn) throw new HeaderError(d.pos, `${owner}: a function declared as a member`);
    if (!d.name && d.bits === undefined) throw new HeaderError(d.pos, `${owner}: expected a member name${ts.peek() ? `, found '${ts.peek()!.text}'` : ''}`);
    out.push([member(ctx, owner, spec, d), d.pos]);
    const sep = ts.next();
    if (sep?.text === ';') return out;
    if (sep?.text !== ',') throw new HeaderError(sep?.pos ?? ts.end, `${owner}.${d.name}: expected ';'${sep ? `, found '${sep.text}'` : ''}`);
  }
}

function member(ctx: DeclContext, owner: string, spec: Specifiers, d: Declarator): MemberSpec {
  const where = `${owner}.${d.name || '(anonymous)'}`;
  const t = d.type;
  const common = {
    name: d.name,
    type: d.text,
    ...(d.dims.length ? { dims: d.dims } : {}),
    ...(d.flexible ? { flexible: true } : {}),
    ...(d.bits !== undefined ? { bits: d.bits } : {}),
    ...(d.attrs.aligned ? { aligned: d.attrs.aligned } : {}),
    ...(d.attrs.packed && !spec.attrs.packed ? { packed: true } : {}),
  };
  switch (t.k) {
    case 'void':
      throw new HeaderError(d.pos, `${where}: a member cannot have type void`);
    case 'record': {
      const layout = t.layout ?? (ctx.env.record(t.tag, t.name, d.pos, true) as { layout: StructLayout }).layout;
      return { ...common, kind: 'struct', elementSize: layout.size, elementAlign: layout.align, signed: false, struct: layout };
    }
    case 'enum':
      return { ...common, kind: 'enum', elementSize: t.info.size, elementAlign: t.info.align, signed: t.info.signed };
    default:
      return { ...common, kind: t.info.kind, elementSize: t.info.size, elementAlign: t.info.align, signed: t.info.signed, ...(t.info.bigEndian ? { bigEndian: true } : {}) };
  }
}

/** `enum [TAG] [{ A = expr, B, … }]`: the constants are defined, the type sized as gcc sizes it. */
function enumType(ts: TokenList, ctx: DeclContext): { type: CType; text: string } {
  const kw = ts.next()!;
  const attrs: Attrs = {};
  attributeList(ts, ctx, attrs);
  const name = ts.peek()?.kind === 'ident' ? ts.next()! : undefined;
  if (ts.peek()?.text !== '{') {
    const info = name ? ctx.env.enumType(name.text) : undefined;
    if (!info) throw new HeaderError(name?.pos ?? kw.pos, `enum ${name?.text ?? ''} is not defined before this point`);
    return { type: { k: 'enum', info }, text: `enum ${name!.text}` };
  }
  const open = ts.next()!;
  const body = ts.balanced('{', '}', open.pos);
  attributeList(ts, ctx, attrs);
  let next = 0n;
  let lo = 0n;
  let hi = 0n;
  for (let i = 0; i < body.length; ) {
    const id = body[i++]!;
    if (id.kind !== 'ident') throw new HeaderError(id.pos, `expected an enumerator name, found '${id.text}'`);
    let value = next;
    if (body[i]?.text === '=') {
      const start = ++i;
      let depth = 0;
      for (; i < body.length && !(depth === 0 && body[i]!.text === ','); i++) {
        if (body[i]!.text === '(') depth++;
        if (body[i]!.text === ')') depth--;
      }
      value = evaluate(body.slice(start, i), ctx.env.exprEnv(), id.pos);
    }
    ctx.env.addConstant(id.text, value);
    if (value < lo) lo = value;
    if (value > hi) hi = value;
    next = value + 1n;
    if (i < body.length && body[i++]!.text !== ',') throw new HeaderError(body[i - 1]!.pos, "expected ',' between enumerators");
  }
  const signed = lo < 0n;
  const fits = (bytes: number) => (signed ? lo >= -(1n << BigInt(bytes * 8 - 1)) && hi < 1n << BigInt(bytes * 8 - 1) : hi < 1n << BigInt(bytes * 8));
  const size = attrs.packed ? [1, 2, 4, 8].find(fits)! : fits(4) ? 4 : 8;
  if (size === undefined || !fits(size)) throw new HeaderError(kw.pos, 'enum values do not fit in 64 bits');
  const info = { ...ctx.env.scalars.get(size === 8 ? (signed ? 'long long' : 'unsigned long long') : size === 4 ? (signed ? 'int' : 'unsigned int') : size === 2 ? 'u16' : 'u8')!, kind: 'enum' as const, signed };
  if (name) ctx.env.setEnum(name.text, info);
  return { type: { k: 'enum', info }, text: name ? `enum ${name.text}` : 'enum' };
}
