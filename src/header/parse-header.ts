import { evaluate } from './expr.js';
import { HeaderError, formatPos, type SourcePos } from './header-error.js';
import { parseKernelDoc } from './kernel-doc.js';
import { TypeEnv } from './layout-env.js';
import { Preprocessor } from './preprocessor.js';
import { declarator, specifiers, TokenList, type DeclContext, type RecordDecl } from './decl.js';
import { DEFAULT_TARGET, type Target } from './target.js';
import type { Token } from './tokenize.js';
import type { HeaderDefine, HeaderStruct, IncludeResolver, ParsedHeader, StaticAssertResult } from './types.js';

/** Options of parseHeader. */
export interface ParseHeaderOptions {
  /** Follows `#include` lines; without it they are only noted. */
  readonly resolveInclude?: IncludeResolver;
  /** Architecture and page size (default x86_64, 4096). */
  readonly target?: Target;
  /** `-D NAME[=VALUE]`. */
  readonly defines?: Readonly<Record<string, string>>;
}

/** Largest header kho-abi reads: KHO ABI headers are a few KiB. */
export const MAX_HEADER_BYTES = 4 << 20;

/** Compat macros: every `*_COMPATIBLE`/`*_COMPAT` string, every `*_VERSION` integer. */
const COMPAT_NAME = /_(COMPATIBLE|COMPAT)$/;
const VERSION_NAME = /_VERSION$/;

/**
 * Parse a KHO ABI header (include/linux/kho/abi/*.h style) through a real preprocessor and
 * lay its structs out as gcc does on the target. Anything the header itself declares that
 * cannot be laid out faithfully is a HeaderError with file:line:column; nothing in the
 * header is ever executed.
 */
export function parseHeader(text: string, file: string, opts: ParseHeaderOptions = {}): ParsedHeader {
  if (text.length > MAX_HEADER_BYTES) throw new HeaderError({ file, line: 1, column: 1 }, `larger than ${MAX_HEADER_BYTES >> 20} MiB; not a header`);
  const target = opts.target ?? DEFAULT_TARGET;
  const env = new TypeEnv(target);
  const pp: Preprocessor = new Preprocessor(text, file, { ...(opts.resolveInclude ? { resolve: opts.resolveInclude } : {}), target, ...(opts.defines ? { defines: opts.defines } : {}) }, () => env.exprEnv());
  const structs: HeaderStruct[] = [];
  const asserts: StaticAssertResult[] = [];
  for (;;) {
    const decl = declarationTokens(pp);
    if (!decl) break;
    const own = decl[0]!.pos.file === file;
    const ctx: DeclContext = {
      env,
      docs: pp.docs,
      onRecord: (r: RecordDecl) => {
        if (own) structs.push({ name: r.layout.name, ...(r.layout.union ? { union: true } : {}), layout: r.layout, pos: r.pos, fieldPos: r.fieldPos });
      },
    };
    try {
      const a = declaration(new TokenList(decl, decl.at(-1)!.pos), ctx);
      if (a && own) asserts.push(a);
    } catch (e) {
      if (own || !(e instanceof HeaderError)) throw e;
      markBroken(decl, env, e); // an included header's declaration we cannot read matters only if it is used
    }
  }
  if (structs.length === 0 && pp.skippedWithStructs.length) {
    const at = pp.skippedWithStructs[0]!;
    throw new HeaderError(at, 'every struct of the header is in a conditional branch not taken for this target (pass -D NAME or --arch to choose it)');
  }
  const defines = ownDefines(pp, env);
  return {
    file,
    includes: pp.includes,
    defines,
    compatible: defines.filter((d) => COMPAT_NAME.test(d.name) && typeof d.value === 'string'),
    versions: defines.filter((d) => VERSION_NAME.test(d.name) && typeof d.value === 'bigint'),
    structs,
    staticAsserts: asserts,
    docs: pp.docs
      .filter((d) => d.file === file)
      .map((d) => ({ d, k: parseKernelDoc(d.text) }))
      .filter(({ k }) => k.kind === 'doc')
      .map(({ d, k }) => ({ title: k.name, body: k.body, pos: d.pos })),
  };
}

/** The tokens of the next top-level declaration: up to its `;`, or a function body's closing `}`. */
function declarationTokens(pp: Preprocessor): Token[] | undefined {
  const out: Token[] = [];
  let depth = 0;
  for (;;) {
    const t = pp.next();
    if (!t) {
      if (out.length) throw new HeaderError(out[0]!.pos, `declaration starting with '${out[0]!.text}' is never ended with ';'`);
      return undefined;
    }
    out.push(t);
    if (t.text === '{' || t.text === '(' || t.text === '[') depth++;
    else if (t.text === '}' || t.text === ')' || t.text === ']') {
      depth--;
      // a function definition ends with its body: `f(…) { … }`
      if (depth === 0 && t.text === '}' && isFunctionBody(out)) return out;
    } else if (t.text === ';' && depth === 0) return out;
  }
}

function isFunctionBody(tokens: readonly Token[]): boolean {
  let depth = 0;
  for (let i = tokens.length - 1; i >= 0; i--) {
    const t = tokens[i]!.text;
    if (t === '}') depth++;
    else if (t === '{' && --depth === 0) return tokens[i - 1]?.text === ')';
  }
  return false;
}

/** One top-level declaration: structs/unions/enums, typedefs, static_assert; functions and variables lay nothing out. */
function declaration(ts: TokenList, ctx: DeclContext): StaticAssertResult | undefined {
  const first = ts.peek()!;
  if (first.text === ';') return undefined;
  if (first.text === 'static_assert' || first.text === '_Static_assert') return staticAssert(ts, ctx);
  if (first.text === '__extension__') ts.next();
  const spec = specifiers(ts, ctx);
  if (ts.peek()?.text === ';') return undefined;
  for (;;) {
    const d = declarator(ts, ctx, spec);
    if (d.fn && ts.peek()?.text === '{') return undefined; // a function definition
    if (spec.typedef && d.name) {
      ctx.env.typedefs.set(d.name, { type: d.type, text: d.name, dims: d.flexible ? [] : d.dims, ...(d.attrs.aligned ? { aligned: d.attrs.aligned } : {}) });
    }
    while (ts.peek()?.text === '=') {
      // an initializer: skip it, it lays nothing out
      ts.next();
      let depth = 0;
      while (ts.peek() && !(depth === 0 && (ts.peek()!.text === ',' || ts.peek()!.text === ';'))) {
        const t = ts.next()!.text;
        if (t === '{' || t === '(') depth++;
        if (t === '}' || t === ')') depth--;
      }
    }
    const sep = ts.next();
    if (!sep || sep.text === ';') return undefined;
    if (sep.text !== ',') throw new HeaderError(sep.pos, `expected ';' after the declaration, found '${sep.text}'`);
  }
}

/** An included header's struct that failed to parse: record why, so that a use of it says so. */
function markBroken(tokens: readonly Token[], env: TypeEnv, e: HeaderError): void {
  for (let i = 0; i + 2 < tokens.length; i++) {
    const [kw, name, brace] = [tokens[i]!, tokens[i + 1]!, tokens[i + 2]!];
    if ((kw.text === 'struct' || kw.text === 'union') && name.kind === 'ident' && brace.text === '{') {
      try {
        env.record(kw.text, name.text, name.pos, true);
      } catch {
        env.setRecord(kw.text, name.text, e);
      }
    }
  }
}

/** Source text of tokens, spacing as written where tokens touch. */
function tokenText(tokens: readonly Token[]): string {
  return tokens.map((t, i) => (i > 0 && !t.glued ? ` ${t.text}` : t.text)).join('');
}

function staticAssert(ts: TokenList, ctx: DeclContext): StaticAssertResult {
  const kw = ts.next()!;
  const open = ts.expect('(', `after ${kw.text}`);
  const inner = ts.balanced('(', ')', open.pos);
  ts.expect(';', `after ${kw.text}(…)`);
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
  const holds = evaluate(expr, ctx.env.exprEnv(), expr[0]!.pos) !== 0n;
  return {
    expr: tokenText(expr),
    holds,
    ...(msg.length ? { message: msg.map((t) => t.value as string).join('') } : {}),
    pos: kw.pos,
  };
}

/**
 * Object-like macros of the header whose expansion is an integer or adjacent string
 * literals (composite compat strings included); the rest (guards, PAGE_SIZE-style
 * expressions that need types…) are left out, except compat and version macros, which must
 * evaluate.
 */
function ownDefines(pp: Preprocessor, env: TypeEnv): HeaderDefine[] {
  const out: HeaderDefine[] = [];
  for (const m of pp.macros.values()) {
    if (!m.own || m.params || m.tokens.length === 0) continue;
    const compat = COMPAT_NAME.test(m.name) || VERSION_NAME.test(m.name);
    try {
      const tokens = pp.expand(m.tokens.map((t) => ({ ...t, pos: m.pos })));
      if (tokens.length && tokens.every((t) => t.kind === 'string')) {
        out.push({ name: m.name, value: tokens.map((t) => t.value as string).join(''), pos: m.pos });
        continue;
      }
      out.push({ name: m.name, value: evaluate(tokens, env.exprEnv(), m.pos), pos: m.pos });
    } catch (e) {
      if (!(e instanceof HeaderError)) throw e;
      if (compat) throw new HeaderError(m.pos, `${m.name} must be a string or an integer constant: ${e.reason} (at ${formatPos(e.pos)})`);
    }
  }
  return out;
}

