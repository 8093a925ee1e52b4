import { layoutStructs, type StructLayout } from '../layout/engine.js';
import type { StructDef } from '../schema/types.js';
import { evaluate, type ExprEnv } from './expr.js';
import { HeaderError } from './header-error.js';
import { parseKernelDoc, type KernelDoc } from './kernel-doc.js';
import { LayoutEnv } from './layout-env.js';
import { Preprocessor } from './preprocessor.js';
import { balanced, parseStruct, type StructDecl } from './struct-decl.js';
import type { Token } from './tokenize.js';
import type { HeaderDefine, HeaderStruct, IncludeResolver, ParsedHeader, StaticAssertResult } from './types.js';

/** Options of parseHeader. */
export interface ParseHeaderOptions {
  /** Follows `#include` lines; without it they are only noted. */
  readonly resolveInclude?: IncludeResolver;
}

/**
 * Parse a KHO ABI header (include/linux/kho/abi/*.h style) into the StructDefs the registry
 * uses, laid out by the one layout engine. Anything outside the understood subset is a
 * HeaderError with file:line:column; nothing in the header is ever executed.
 */
export function parseHeader(text: string, file: string, opts: ParseHeaderOptions = {}): ParsedHeader {
  const env = new LayoutEnv();
  const pp: Preprocessor = new Preprocessor(text, file, opts.resolveInclude, () => env.exprEnv(pp.macros));
  const structs: HeaderStruct[] = [];
  const asserts: StaticAssertResult[] = [];
  for (let t = pp.peek(); t; t = pp.peek()) {
    const own = pp.inOwnFile;
    const exprEnv = env.exprEnv(pp.macros);
    if (t.kind === 'ident' && (t.text === 'struct' || t.text === 'union')) {
      const before = pp.docs.length;
      const decl = parseStruct(pp, exprEnv);
      if (!decl) continue;
      const docs = pp.docs.map((d) => parseKernelDoc(d.text));
      const def = withDocs(decl.def, docs.slice(0, before), docs.slice(before));
      const layout = layOut(def, decl, env.layouts);
      env.add(layout);
      if (own) structs.push({ def, layout, pos: decl.pos, fieldPos: decl.fieldPos });
    } else if (t.kind === 'ident' && (t.text === 'static_assert' || t.text === '_Static_assert')) {
      const a = staticAssert(pp, exprEnv);
      if (own) asserts.push(a);
    } else if (t.kind === 'ident' && t.text === 'enum') {
      enumConstants(pp, exprEnv, env);
    } else if (t.text === ';') {
      pp.next();
    } else {
      throw new HeaderError(t.pos, `unsupported declaration starting with '${t.text}' (KHO ABI headers hold structs, unions, enums, #defines and static_asserts)`);
    }
  }
  const defines = ownDefines(pp, env);
  return {
    file,
    includes: pp.includes,
    defines,
    compatible: defines.filter((d) => /_COMPATIBLE$/.test(d.name) && typeof d.value === 'string'),
    versions: defines.filter((d) => /_VERSION$/.test(d.name) && typeof d.value === 'bigint'),
    structs,
    staticAsserts: asserts,
    docs: pp.docs
      .map((d) => ({ d, k: parseKernelDoc(d.text) }))
      .filter(({ k }) => k.kind === 'doc')
      .map(({ d, k }) => ({ title: k.name, body: k.body, pos: d.pos })),
  };
}

/** The struct with its kernel-doc: the `struct NAME -` block before it, and in-line `@member:` blocks inside it. */
function withDocs(def: StructDef, before: readonly KernelDoc[], inside: readonly KernelDoc[]): StructDef {
  const tag = def.union ? 'union' : 'struct';
  const block = before.findLast((d) => d.kind === tag && d.name === def.name);
  const members = new Map(block?.members);
  for (const d of inside) for (const [k, v] of d.members) members.set(k, v);
  return {
    ...def,
    ...(block?.summary ? { doc: block.summary } : {}),
    fields: def.fields.map((f) => (members.get(f.name) ? { ...f, doc: members.get(f.name)! } : f)),
  };
}

function layOut(def: StructDef, decl: StructDecl, known: ReadonlyMap<string, StructLayout>): StructLayout {
  for (const f of def.fields) {
    const agg = /^(struct|union) (.+)$/.exec(f.type);
    const nested = agg ? known.get(agg[2]!) : undefined;
    if (agg && (!nested || (nested.union === true) !== (agg[1] === 'union'))) {
      throw new HeaderError(decl.fieldPos.get(f.name)!, `${f.type} is not defined before this point (an #include is followed only with -I)`);
    }
  }
  try {
    return layoutStructs([def], known).get(def.name)!;
  } catch (e) {
    throw new HeaderError(decl.pos, (e as Error).message);
  }
}

/** Source text of tokens, spacing as written where tokens touch. */
function tokenText(tokens: readonly Token[]): string {
  return tokens.map((t, i) => (i > 0 && !t.glued ? ` ${t.text}` : t.text)).join('');
}

function staticAssert(pp: Preprocessor, env: ExprEnv): StaticAssertResult {
  const kw = pp.next()!;
  const open = pp.next();
  if (open?.text !== '(') throw new HeaderError(open?.pos ?? kw.pos, `expected '(' after ${kw.text}`);
  const inner = balanced(pp, '(', ')', open.pos);
  const end = pp.next();
  if (end?.text !== ';') throw new HeaderError(end?.pos ?? kw.pos, `expected ';' after ${kw.text}(…)`);
  let depth = 0;
  const comma = inner.findIndex((t) => {
    if (t.text === '(') depth++;
    if (t.text === ')') depth--;
    return depth === 0 && t.text === ',';
  });
  const expr = comma < 0 ? inner : inner.slice(0, comma);
  const msg = comma < 0 ? [] : inner.slice(comma + 1);
  if (expr.length === 0) throw new HeaderError(open.pos, `${kw.text} needs an expression`);
  if (msg.some((t) => t.kind !== 'string')) throw new HeaderError(msg[0]!.pos, `${kw.text}: the message must be a string literal`);
  const holds = evaluate(expr, env, expr[0]!.pos) !== 0n;
  return {
    expr: tokenText(expr),
    holds,
    ...(msg.length ? { message: msg.map((t) => t.value as string).join('') } : {}),
    pos: kw.pos,
  };
}

function enumConstants(pp: Preprocessor, env: ExprEnv, layouts: LayoutEnv): void {
  const kw = pp.next()!;
  if (pp.peek()?.kind === 'ident') pp.next();
  const open = pp.next();
  if (open?.text !== '{') throw new HeaderError(open?.pos ?? kw.pos, "expected '{' (only enum definitions are understood)");
  const body = balanced(pp, '{', '}', open.pos);
  const end = pp.next();
  if (end?.text !== ';') throw new HeaderError(end?.pos ?? kw.pos, "expected ';' after the enum definition");
  let next = 0n;
  for (let i = 0; i < body.length; ) {
    const name = body[i++]!;
    if (name.kind !== 'ident') throw new HeaderError(name.pos, `expected an enumerator name, found '${name.text}'`);
    let value = next;
    if (body[i]?.text === '=') {
      const start = ++i;
      let depth = 0;
      for (; i < body.length && !(depth === 0 && body[i]!.text === ','); i++) {
        if (body[i]!.text === '(') depth++;
        if (body[i]!.text === ')') depth--;
      }
      value = evaluate(body.slice(start, i), env, name.pos);
    }
    layouts.addConstant(name.text, value, name);
    next = value + 1n;
    if (i < body.length && body[i++]!.text !== ',') throw new HeaderError(body[i - 1]!.pos, "expected ',' between enumerators");
  }
}

/** Object-like macros of the header with an integer or string-literal value; the rest (guards, PAGE_SIZE…) are left out. */
function ownDefines(pp: Preprocessor, env: LayoutEnv): HeaderDefine[] {
  const out: HeaderDefine[] = [];
  const exprEnv = env.exprEnv(pp.macros);
  for (const m of pp.macros.values()) {
    if (!m.own || m.functionLike || m.tokens.length === 0) continue;
    if (m.tokens.every((t) => t.kind === 'string')) {
      out.push({ name: m.name, value: m.tokens.map((t) => t.value as string).join(''), pos: m.pos });
      continue;
    }
    try {
      out.push({ name: m.name, value: evaluate(m.tokens, exprEnv, m.pos), pos: m.pos });
    } catch (e) {
      if (!(e instanceof HeaderError)) throw e;
    }
  }
  return out;
}
