import { evaluate, type ExprEnv } from './expr.js';
import { HeaderError, type SourcePos } from './header-error.js';
import { isKernelDoc } from './kernel-doc.js';
import { Expander, type ExpandBudget, type Macro, type PToken } from './macro-expand.js';
import { PRELUDE_HEADERS, preludeText } from './prelude.js';
import type { Target } from './target.js';
import { tokenize, type Token } from './tokenize.js';
import type { HeaderInclude, IncludeResolver } from './types.js';

export type { Macro } from './macro-expand.js';

/** A kernel-doc comment and where it is. */
export interface DocComment {
  readonly text: string;
  readonly pos: SourcePos;
  readonly file: string;
}

interface Frame {
  readonly file: string;
  readonly tokens: readonly Token[];
  i: number;
  readonly own: boolean;
  /** Conditional stack: whether each level is taken, and whether a branch was already taken. */
  readonly conds: Array<{ active: boolean; done: boolean; pos: SourcePos }>;
  /** The include guard macro, while the file still looks wholly guarded. */
  guard?: string;
  guardOpen: boolean;
}

/** Bounds that keep hostile headers from hanging the reader. */
const MAX_INCLUDE_DEPTH = 40;
const MAX_IF_DEPTH = 256;
const MAX_INCLUDED_BYTES = 32 << 20;
const PRELUDE_FILE = '<kho-abi prelude>';

/** Options of the preprocessor. */
export interface PreprocessorOptions {
  readonly resolve?: IncludeResolver;
  readonly target: Target;
  /** `-D NAME[=VALUE]`, applied after the prelude. */
  readonly defines?: Readonly<Record<string, string>>;
}

/**
 * The C preprocessor as the kernel's headers use it: object- and function-like macros
 * (with `#`, `##`, variadic), `#if/#ifdef/#elif/#else` with `defined` (an unknown name is 0,
 * as in C), `#include` through the resolver (prelude headers are not read), include guards
 * and `#pragma once`. `peek`/`next` give the macro-expanded code tokens; kernel-doc comments
 * of the header itself are collected. Directives the header itself uses wrongly are errors
 * with file:line:column; included headers are read leniently (what they get wrong there
 * only matters if the header uses it).
 */
export class Preprocessor {
  readonly macros = new Map<string, Macro>();
  readonly includes: HeaderInclude[] = [];
  readonly docs: DocComment[] = [];
  /** `#if` branches not taken in the header itself, with their condition (to explain a header with no structs). */
  readonly skippedWithStructs: SourcePos[] = [];
  private readonly stack: Frame[] = [];
  private readonly guards = new Map<string, string>();
  private readonly once = new Set<string>();
  private readonly budget: ExpandBudget = { tokens: 0 };
  private readonly expander: Expander;
  private includedBytes = 0;
  private ready: PToken | undefined;

  constructor(
    text: string,
    private readonly file: string,
    private readonly opts: PreprocessorOptions,
    private readonly exprEnv: () => ExprEnv,
  ) {
    this.expander = new Expander(this.macros, this.budget, () => this.raw());
    this.run(tokenize(preludeText(opts.target), PRELUDE_FILE));
    const d = Object.entries(opts.defines ?? {}).map(([k, v]) => `#define ${k} ${v}`).join('\n');
    this.run(tokenize(d, '<command line>'));
    this.stack.push(this.frame(file, tokenize(text, file), true));
  }

  private frame(file: string, tokens: readonly Token[], own: boolean): Frame {
    return { file, tokens, i: 0, own, conds: [], guardOpen: false };
  }

  /** Run a prelude-like token list (directives only). */
  private run(tokens: readonly Token[]): void {
    this.stack.push(this.frame(tokens[0]?.pos.file ?? PRELUDE_FILE, tokens, false));
    if (this.raw()) throw new Error('the prelude holds only directives');
  }

  /** The next code token, or undefined at the end. */
  next(): Token | undefined {
    const t = this.peek();
    this.ready = undefined;
    return t;
  }

  /** The next code token without consuming it. */
  peek(): Token | undefined {
    this.ready ??= this.expander.next();
    return this.ready;
  }

  /** Expand macros in a finite token list (a macro's value, an #if line). */
  expand(tokens: readonly Token[]): Token[] {
    return new Expander(this.macros, this.budget).all(tokens);
  }

  /** The next raw code token after directives and conditionals, before macro expansion. */
  private raw(): Token | undefined {
    for (;;) {
      const frame = this.stack.at(-1);
      if (!frame) return undefined;
      const t = frame.tokens[frame.i];
      if (!t) {
        const open = frame.conds.at(-1);
        if (open) throw new HeaderError(open.pos, 'unterminated conditional: #endif missing');
        this.stack.pop();
        if (frame.guard && !frame.guardOpen) this.guards.set(frame.file, frame.guard);
        if (this.stack.length === 0 || (frame.file === PRELUDE_FILE || frame.file === '<command line>')) return undefined;
        continue;
      }
      if (t.kind === 'punct' && t.text === '#' && t.bol) {
        this.directive(frame);
        continue;
      }
      frame.i++;
      const active = frame.conds.every((c) => c.active);
      if (t.kind === 'comment') {
        if (active && frame.own && isKernelDoc(t.text)) this.docs.push({ text: t.text, pos: t.pos, file: t.pos.file });
        continue;
      }
      if (!active) {
        if (frame.own && (t.text === 'struct' || t.text === 'union') && !this.skippedWithStructs.length) this.skippedWithStructs.push(frame.conds.find((c) => !c.active)!.pos);
        continue;
      }
      if (frame.conds.length === 0 && frame.guard) frame.guard = undefined; // code outside the guard
      return t;
    }
  }

  private fail(frame: Frame, pos: SourcePos, msg: string): void {
    if (frame.own) throw new HeaderError(pos, msg);
  }

  private directive(frame: Frame): void {
    const hashAt = frame.i;
    const hash = frame.tokens[hashAt]!;
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
    const push = (taken: boolean) => {
      if (frame.conds.length >= MAX_IF_DEPTH) throw new HeaderError(name.pos, `#if nested deeper than ${MAX_IF_DEPTH}`);
      frame.conds.push({ active: taken, done: taken, pos: name.pos });
    };
    const first = frame.conds.length === 0 && hashAt === firstDirective(frame.tokens);
    switch (name.text) {
      case 'ifdef':
      case 'ifndef': {
        if (!active) return push(false);
        const id = args[0];
        if (!id || id.kind !== 'ident') {
          this.fail(frame, name.pos, `#${name.text} needs one macro name`);
          return push(false);
        }
        if (first && name.text === 'ifndef') {
          frame.guard = id.text;
          frame.guardOpen = true;
        }
        return push(this.macros.has(id.text) === (name.text === 'ifdef'));
      }
      case 'if':
        return push(active && this.condition(args, name.pos, frame));
      case 'elif':
      case 'else': {
        const top = frame.conds.at(-1);
        if (!top) return this.fail(frame, name.pos, `#${name.text} without #if`);
        const outer = frame.conds.slice(0, -1).every((c) => c.active);
        const taken = outer && !top.done && (name.text === 'else' || this.condition(args, name.pos, frame));
        if (frame.conds.length === 1) frame.guard = undefined;
        top.active = taken;
        top.done ||= taken;
        return;
      }
      case 'endif':
        if (!frame.conds.pop()) return this.fail(frame, name.pos, '#endif without #if');
        if (frame.conds.length === 0 && frame.guardOpen) frame.guardOpen = false;
        return;
    }
    if (!active) return;
    if (frame.conds.length === 0 && frame.guard && !frame.guardOpen) frame.guard = undefined; // a directive after the guard's #endif
    switch (name.text) {
      case 'define':
        return this.define(args, name, frame);
      case 'undef': {
        const id = args[0];
        if (!id || id.kind !== 'ident') return this.fail(frame, name.pos, '#undef needs a macro name');
        this.macros.delete(id.text);
        return;
      }
      case 'include':
      case 'include_next':
        return this.include(args, name, frame);
      case 'pragma':
        if (args[0]?.text === 'once') this.once.add(frame.file);
        else if (args[0]?.text === 'pack' || (args[0]?.text === 'GCC' && args[1]?.text === 'pack')) {
          throw new HeaderError(name.pos, '#pragma pack changes the layout of every struct after it and is not supported');
        }
        return;
      case 'error':
        return this.fail(frame, name.pos, `#error ${args.map((t) => t.text).join(' ')}`);
      case 'warning':
      case 'line':
      case 'ident':
        return;
      default:
        return this.fail(frame, name.pos, `unsupported preprocessor directive #${name.text}`);
    }
  }

  private define(args: readonly Token[], name: Token, frame: Frame): void {
    const id = args[0];
    if (!id || id.kind !== 'ident') return this.fail(frame, name.pos, '#define needs a macro name');
    if (id.text === 'defined') return this.fail(frame, id.pos, '"defined" cannot be a macro name');
    if (args[1]?.text === '(' && args[1].glued) {
      const params: string[] = [];
      let variadic = false;
      let i = 2;
      for (; i < args.length && args[i]!.text !== ')'; i++) {
        const p = args[i]!;
        if (p.text === ',') continue;
        if (p.text === '...') {
          variadic = true;
          params.push('__VA_ARGS__');
        } else if (p.kind === 'ident') {
          if (args[i + 1]?.text === '...') {
            variadic = true;
            i++;
          }
          params.push(p.text);
        } else return this.fail(frame, p.pos, `#define ${id.text}: bad parameter '${p.text}'`);
      }
      if (i >= args.length) return this.fail(frame, id.pos, `#define ${id.text}: parameter list is never closed`);
      this.macros.set(id.text, { name: id.text, params, ...(variadic ? { variadic } : {}), tokens: args.slice(i + 1), pos: id.pos, own: frame.own });
      return;
    }
    this.macros.set(id.text, { name: id.text, tokens: args.slice(1), pos: id.pos, own: frame.own });
  }

  private condition(args: readonly Token[], pos: SourcePos, frame: Frame): boolean {
    try {
      if (args.length === 0) throw new HeaderError(pos, '#if needs an expression');
      const resolved: Token[] = [];
      for (let i = 0; i < args.length; i++) {
        const t = args[i]!;
        if (t.kind === 'ident' && t.text === 'defined') {
          const paren = args[i + 1]?.text === '(';
          const id = args[i + (paren ? 2 : 1)];
          if (!id || id.kind !== 'ident' || (paren && args[i + 3]?.text !== ')')) throw new HeaderError(t.pos, 'defined needs a macro name');
          resolved.push({ ...t, kind: 'number', text: this.macros.has(id.text) ? '1' : '0', value: this.macros.has(id.text) ? 1n : 0n });
          i += paren ? 3 : 1;
        } else resolved.push(t);
      }
      const env = { ...this.exprEnv(), preprocessor: true };
      return evaluate(this.expand(resolved), env, pos) !== 0n;
    } catch (e) {
      if (frame.own || !(e instanceof HeaderError)) throw e;
      return false; // an included header's condition we cannot evaluate: its branch is not taken
    }
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
      return this.fail(frame, name.pos, '#include needs <file> or "file"');
    }
    if (PRELUDE_HEADERS.has(target)) {
      if (frame.own) this.includes.push({ name: target, system, pos: name.pos, followed: PRELUDE_FILE });
      return;
    }
    const found = this.opts.resolve?.(target, system, frame.file);
    if (frame.own) this.includes.push({ name: target, system, pos: name.pos, ...(found ? { followed: found.file } : {}) });
    if (!found) return;
    const guard = this.guards.get(found.file);
    if (this.once.has(found.file) || (guard && this.macros.has(guard))) return;
    if (this.stack.length > MAX_INCLUDE_DEPTH) {
      const chain = this.stack.map((f) => f.file).slice(-4).join(' -> ');
      throw new HeaderError(name.pos, `#include nested deeper than ${MAX_INCLUDE_DEPTH} (… ${chain} -> ${found.file}): an include cycle?`);
    }
    this.includedBytes += found.text.length;
    if (this.includedBytes > MAX_INCLUDED_BYTES) throw new HeaderError(name.pos, `included headers exceed ${MAX_INCLUDED_BYTES >> 20} MiB`);
    this.stack.push(this.frame(found.file, tokenize(found.text, found.file), false));
  }
}

/** Index of the first directive's `#` when nothing but comments precede it. */
function firstDirective(tokens: readonly Token[]): number {
  return tokens.findIndex((t) => t.kind !== 'comment');
}
