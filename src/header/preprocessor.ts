import { evaluate, type ExprEnv } from './expr.js';
import { HeaderError, type SourcePos } from './header-error.js';
import { isKernelDoc } from './kernel-doc.js';
import { tokenize, type Token } from './tokenize.js';
import type { HeaderInclude, IncludeResolver } from './types.js';

/** A `#define`: object-like (tokens) or function-like (not expanded: using one is an error). */
export interface Macro {
  readonly name: string;
  readonly tokens: readonly Token[];
  readonly functionLike: boolean;
  readonly pos: SourcePos;
  /** Defined in the header being parsed, not in an included one. */
  readonly own: boolean;
}

/** A kernel-doc comment and where it is. */
export interface DocComment {
  readonly text: string;
  readonly pos: SourcePos;
  readonly file: string;
}

interface Frame {
  readonly tokens: readonly Token[];
  i: number;
  readonly own: boolean;
  /** Conditional stack: whether each level is taken, and whether a branch was already taken. */
  readonly conds: Array<{ active: boolean; done: boolean; pos: SourcePos }>;
}

const MAX_INCLUDE_DEPTH = 16;

/**
 * The code tokens of a header after the preprocessor directives KHO headers use:
 * include guards and `#if` on integer macros, `#define`/`#undef`, `#include` (followed
 * only through the resolver). Comments are set aside (kernel-doc kept); everything
 * else is an error with its position.
 */
export class Preprocessor {
  readonly macros = new Map<string, Macro>();
  readonly includes: HeaderInclude[] = [];
  readonly docs: DocComment[] = [];
  private readonly stack: Frame[] = [];
  private readonly seen = new Set<string>();

  constructor(
    text: string,
    private readonly file: string,
    private readonly resolve: IncludeResolver | undefined,
    private readonly exprEnv: () => ExprEnv,
  ) {
    this.seen.add(file);
    this.stack.push({ tokens: tokenize(text, file), i: 0, own: true, conds: [] });
  }

  /** Whether the token being read comes from the header itself (not an included one). */
  get inOwnFile(): boolean {
    return this.stack.at(-1)?.own ?? true;
  }

  /** The next code token, or undefined at the end. */
  next(): Token | undefined {
    const t = this.peek();
    if (t) this.stack.at(-1)!.i++;
    return t;
  }

  /** The next code token without consuming it. */
  peek(): Token | undefined {
    for (;;) {
      const frame = this.stack.at(-1);
      if (!frame) return undefined;
      const t = frame.tokens[frame.i];
      if (!t) {
        const open = frame.conds.at(-1);
        if (open) throw new HeaderError(open.pos, 'unterminated conditional: #endif missing');
        this.stack.pop();
        if (this.stack.length === 0) return undefined;
        continue;
      }
      if (t.kind === 'punct' && t.text === '#' && t.bol) {
        this.directive(frame);
        continue;
      }
      const active = frame.conds.every((c) => c.active);
      if (t.kind === 'comment') {
        if (active && frame.own && isKernelDoc(t.text)) this.docs.push({ text: t.text, pos: t.pos, file: t.pos.file });
        frame.i++;
        continue;
      }
      if (!active) {
        frame.i++;
        continue;
      }
      return t;
    }
  }

  private directive(frame: Frame): void {
    const hash = frame.tokens[frame.i]!;
    const line: Token[] = [];
    frame.i++;
    while (frame.i < frame.tokens.length && frame.tokens[frame.i]!.logicalLine === hash.logicalLine) {
      const t = frame.tokens[frame.i++]!;
      if (t.kind !== 'comment') line.push(t);
    }
    const name = line[0];
    if (!name) return; // the null directive
    const args = line.slice(1);
    const active = frame.conds.every((c) => c.active);
    switch (name.text) {
      case 'ifdef':
      case 'ifndef': {
        const id = args[0];
        if (!active) return void frame.conds.push({ active: false, done: true, pos: name.pos });
        if (!id || id.kind !== 'ident' || args.length > 1) throw new HeaderError(name.pos, `#${name.text} needs one macro name`);
        const taken = this.macros.has(id.text) === (name.text === 'ifdef');
        return void frame.conds.push({ active: taken, done: taken, pos: name.pos });
      }
      case 'if': {
        if (!active) return void frame.conds.push({ active: false, done: true, pos: name.pos });
        const taken = this.condition(args, name.pos);
        return void frame.conds.push({ active: taken, done: taken, pos: name.pos });
      }
      case 'elif':
      case 'else': {
        const top = frame.conds.at(-1);
        if (!top) throw new HeaderError(name.pos, `#${name.text} without #if`);
        const outer = frame.conds.slice(0, -1).every((c) => c.active);
        const taken = outer && !top.done && (name.text === 'else' || this.condition(args, name.pos));
        top.active = taken;
        top.done ||= taken;
        return;
      }
      case 'endif':
        if (!frame.conds.pop()) throw new HeaderError(name.pos, '#endif without #if');
        return;
    }
    if (!active) return;
    switch (name.text) {
      case 'define': {
        const id = args[0];
        if (!id || id.kind !== 'ident') throw new HeaderError(name.pos, '#define needs a macro name');
        const functionLike = args[1]?.text === '(' && args[1].glued;
        this.macros.set(id.text, { name: id.text, tokens: args.slice(1), functionLike, pos: id.pos, own: frame.own });
        return;
      }
      case 'undef': {
        const id = args[0];
        if (!id || id.kind !== 'ident') throw new HeaderError(name.pos, '#undef needs a macro name');
        this.macros.delete(id.text);
        return;
      }
      case 'include':
        return this.include(args, name, frame);
      case 'error':
        throw new HeaderError(name.pos, `#error ${args.map((t) => t.text).join(' ')}`);
      default:
        throw new HeaderError(name.pos, `unsupported preprocessor directive #${name.text}`);
    }
  }

  private condition(args: readonly Token[], pos: SourcePos): boolean {
    if (args.length === 0) throw new HeaderError(pos, '#if needs an expression');
    const env = { ...this.exprEnv(), preprocessor: true, isDefined: (n: string) => this.macros.has(n) };
    return evaluate(args, env, pos) !== 0n;
  }

  private include(args: readonly Token[], name: Token, frame: Frame): void {
    let target: string;
    let system: boolean;
    const first = args[0];
    if (first?.kind === 'string' && args.length === 1) {
      target = first.value as string;
      system = false;
    } else if (first?.text === '<' && args.at(-1)?.text === '>') {
      target = args.slice(1, -1).map((t) => t.text).join('');
      system = true;
    } else {
      throw new HeaderError(name.pos, '#include needs <file> or "file"');
    }
    const found = this.resolve?.(target, system);
    if (frame.own) this.includes.push({ name: target, system, pos: name.pos, ...(found ? { followed: found.file } : {}) });
    if (!found || this.seen.has(found.file)) return;
    if (this.stack.length > MAX_INCLUDE_DEPTH) throw new HeaderError(name.pos, `#include nested deeper than ${MAX_INCLUDE_DEPTH}`);
    this.seen.add(found.file);
    this.stack.push({ tokens: tokenize(found.text, found.file), i: 0, own: false, conds: [] });
  }
}
