import { HeaderError, type SourcePos } from './header-error.js';
import { tokenize, type Token } from './tokenize.js';

/** A `#define`: object-like (`params` undefined) or function-like. */
export interface Macro {
  readonly name: string;
  /** Parameter names of a function-like macro (`__VA_ARGS__` or `name` for `name...`). */
  readonly params?: readonly string[];
  readonly variadic?: boolean;
  readonly tokens: readonly Token[];
  readonly pos: SourcePos;
  /** Defined in the header being parsed, not in an included one or the prelude. */
  readonly own: boolean;
}

/** A token on its way through macro expansion: the macros it must not expand again (C's hide set). */
export type PToken = Token & { readonly hide?: ReadonlySet<string> };

/** Tokens one header may produce by macro expansion; beyond it, expansion is an error, not a hang. */
export const MAX_EXPANDED_TOKENS = 250_000;
/** Macro calls nested inside arguments deeper than this are an error. */
const MAX_NESTING = 200;

/** Shared by every expansion of one header. */
export interface ExpandBudget {
  tokens: number;
}

/**
 * C macro expansion (the hide-set algorithm of the C standard's rescanning rules):
 * object- and function-like macros, `#` and `##`, variadic macros, arguments expanded
 * before substitution, a macro never expanded inside itself. `source` gives more input
 * when a function-like macro's arguments run past the tokens at hand.
 */
export class Expander {
  private readonly input: PToken[] = [];

  constructor(
    private readonly macros: ReadonlyMap<string, Macro>,
    private readonly budget: ExpandBudget,
    private readonly source: () => PToken | undefined = () => undefined,
    private readonly depth = 0,
  ) {}

  /** Put tokens in front of the input (first one read first). */
  unread(tokens: readonly PToken[]): void {
    for (let i = tokens.length - 1; i >= 0; i--) this.input.push(tokens[i]!);
  }

  private read(): PToken | undefined {
    return this.input.pop() ?? this.source();
  }

  /** The next fully expanded token, or undefined at the end of the input. */
  next(): PToken | undefined {
    for (;;) {
      const t = this.read();
      if (!t) return undefined;
      const m = t.kind === 'ident' && !t.hide?.has(t.text) ? this.macros.get(t.text) : undefined;
      if (!m) return t;
      if (!m.params) {
        this.unread(this.subst(m, t, [], new Set([...(t.hide ?? []), m.name])));
        continue;
      }
      const open = this.read();
      if (open?.text !== '(') {
        if (open) this.input.push(open);
        return t;
      }
      const { args, close } = this.collectArgs(m, t);
      const hide = new Set([...[...(t.hide ?? [])].filter((h) => close.hide?.has(h)), m.name]);
      this.unread(this.subst(m, t, args, hide));
    }
  }

  /** Expand a whole token list. */
  all(tokens: readonly PToken[]): PToken[] {
    const e = new Expander(this.macros, this.budget, undefined, this.depth + 1);
    if (this.depth >= MAX_NESTING) throw new HeaderError(tokens[0]!.pos, `macro arguments nested deeper than ${MAX_NESTING}`);
    e.unread(tokens);
    const out: PToken[] = [];
    for (let t = e.next(); t; t = e.next()) out.push(t);
    return out;
  }

  private collectArgs(m: Macro, name: PToken): { args: PToken[][]; close: PToken } {
    const args: PToken[][] = [[]];
    let depth = 0;
    for (;;) {
      const t = this.read();
      if (!t) throw new HeaderError(name.pos, `unterminated call of macro ${m.name}(`);
      if (++this.budget.tokens > MAX_EXPANDED_TOKENS) this.overflow(name);
      if (t.text === '(' && t.kind === 'punct') depth++;
      else if (t.text === ')' && t.kind === 'punct') {
        if (depth-- === 0) {
          const n = m.params!.length;
          if (args.length === 1 && args[0]!.length === 0 && n === 0) args.pop();
          if (args.length < n && !(m.variadic && args.length === n - 1)) throw new HeaderError(name.pos, `macro ${m.name} takes ${n} argument${n === 1 ? '' : 's'}, given ${args.length}`);
          if (args.length > n && !m.variadic) throw new HeaderError(name.pos, `macro ${m.name} takes ${n} argument${n === 1 ? '' : 's'}, given ${args.length}`);
          return { args, close: t };
        }
      } else if (t.text === ',' && depth === 0 && !(m.variadic && args.length === m.params!.length)) {
        args.push([]);
        continue;
      }
      args.at(-1)!.push(t);
    }
  }

  private overflow(at: PToken): never {
    throw new HeaderError(at.pos, `macro expansion produces more than ${MAX_EXPANDED_TOKENS} tokens (a macro that expands exponentially?)`);
  }

  /** The replacement list with arguments substituted, stringized and pasted. */
  private subst(m: Macro, call: PToken, args: PToken[][], hide: ReadonlySet<string>): PToken[] {
    const param = (t: Token | undefined) => (t?.kind === 'ident' && m.params ? m.params.indexOf(t.text) : -1);
    const arg = (k: number) => args[k] ?? [];
    const expanded = new Map<number, PToken[]>();
    const out: PToken[] = [];
    const body = m.tokens;
    const at = (t: Token): PToken => ({ ...t, pos: call.pos, hide });
    for (let i = 0; i < body.length; i++) {
      const t = body[i]!;
      if (t.text === '#' && m.params && param(body[i + 1]) >= 0) {
        out.push(stringize(arg(param(body[++i])), call));
        continue;
      }
      if (t.text === '##' && out.length > 0 && i + 1 < body.length) {
        const rhsTok = body[++i]!;
        const k = param(rhsTok);
        const rhs: PToken[] = k >= 0 ? arg(k) : [rhsTok];
        if (rhs.length) {
          const lhs = out.pop()!;
          const first = lhs.text === '' ? { ...rhs[0]!, pos: call.pos } : paste(lhs, rhs[0]!, call);
          out.push({ ...first, hide }, ...rhs.slice(1).map((x) => ({ ...x, hide: union(x.hide, hide) })));
        }
        continue;
      }
      const k = param(t);
      if (k >= 0) {
        if (body[i + 1]?.text === '##') out.push(...(arg(k).length ? arg(k) : [{ ...at(t), kind: 'punct' as const, text: '' }]));
        else {
          if (!expanded.has(k)) expanded.set(k, this.all(arg(k)));
          out.push(...expanded.get(k)!.map((x) => ({ ...x, hide: union(x.hide, hide) })));
        }
      } else out.push(at(t));
    }
    this.budget.tokens += out.length;
    if (this.budget.tokens > MAX_EXPANDED_TOKENS) this.overflow(call);
    return out.filter((x) => x.text !== ''); // placemarkers of empty arguments
  }
}

function union(a: ReadonlySet<string> | undefined, b: ReadonlySet<string>): ReadonlySet<string> {
  if (!a || a.size === 0) return b;
  return new Set([...a, ...b]);
}

function stringize(tokens: readonly Token[], call: PToken): PToken {
  const text = tokens.map((t, i) => (i > 0 && !t.glued ? ' ' : '') + t.text).join('');
  const literal = JSON.stringify(text);
  return { kind: 'string', text: literal, value: text, pos: call.pos, logicalLine: call.logicalLine, bol: false, glued: false };
}

function paste(a: Token, b: Token, call: PToken): Token {
  const text = a.text + b.text;
  let toks: Token[];
  try {
    toks = tokenize(text, call.pos.file);
  } catch {
    toks = [];
  }
  if (toks.length !== 1) throw new HeaderError(call.pos, `pasting "${a.text}" and "${b.text}" does not give a valid token`);
  return { ...toks[0]!, pos: call.pos, logicalLine: call.logicalLine, bol: false, glued: a.glued };
}
