import { HeaderError, type SourcePos } from './header-error.js';
import type { Token } from './tokenize.js';

/** A type named inside sizeof/offsetof/casts: `struct X`, `union X`, or a scalar like `u64`, `unsigned long`. */
export interface TypeName {
  readonly tag: 'struct' | 'union' | 'scalar';
  readonly name: string;
  readonly pointer: boolean;
  readonly pos: SourcePos;
}

/** One step of a member designator: `.name` or `[index]`. */
export type MemberStep = { readonly field: string } | { readonly index: number };

/** What expressions need from the header around them. */
export interface ExprEnv {
  /** The replacement tokens of an object-like macro; throws for a function-like one. */
  macro(name: string, pos: SourcePos): readonly Token[] | undefined;
  isTypeStart(name: string): boolean;
  sizeOf(type: TypeName): number;
  alignOf(type: TypeName): number;
  /** offsetof(type, path) when `size` is false; sizeof the member when true. */
  member(type: TypeName, path: readonly MemberStep[], size: boolean): number;
  /** `#if`: accept `defined X` and reject unknown identifiers. */
  readonly preprocessor?: boolean;
  /** `#if`: whether a macro is defined. */
  isDefined?(name: string): boolean;
}

/** Replace object-like macros by their tokens (recursively, never re-expanding a macro inside itself). */
export function expandMacros(tokens: readonly Token[], env: ExprEnv, active: ReadonlySet<string> = new Set()): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'ident' && t.text === 'defined' && env.preprocessor) {
      out.push(t);
      const paren = tokens[i + 1]?.text === '(';
      const n = paren ? 3 : 1;
      out.push(...tokens.slice(i + 1, i + 1 + n));
      i += n;
      continue;
    }
    const body = t.kind === 'ident' && !active.has(t.text) ? env.macro(t.text, t.pos) : undefined;
    if (body) out.push(...expandMacros(body, env, new Set([...active, t.text])));
    else out.push(t);
  }
  return out;
}

const SCALAR_WORDS = new Set(['unsigned', 'signed', 'char', 'short', 'int', 'long']);

/** Evaluate an integer constant expression (the C subset KHO headers use) as a mathematical integer. */
export function evaluate(tokens: readonly Token[], env: ExprEnv, at: SourcePos): bigint {
  const p = new ExprParser(expandMacros(tokens, env), env, at);
  const v = p.ternary();
  p.end();
  return v;
}

class ExprParser {
  private i = 0;
  constructor(
    private readonly t: readonly Token[],
    private readonly env: ExprEnv,
    private readonly at: SourcePos,
  ) {}

  private peek(k = 0): Token | undefined {
    return this.t[this.i + k];
  }

  private fail(msg: string, tok = this.peek()): never {
    throw new HeaderError(tok?.pos ?? this.at, msg);
  }

  private take(text?: string): Token {
    const tok = this.peek();
    if (!tok) this.fail(text ? `expected '${text}' before the end of the expression` : 'expression ends too early');
    if (text !== undefined && tok.text !== text) this.fail(`expected '${text}', found '${tok.text}'`);
    this.i++;
    return tok;
  }

  private accept(text: string): boolean {
    if (this.peek()?.text === text && this.peek()?.kind === 'punct') {
      this.i++;
      return true;
    }
    return false;
  }

  end(): void {
    const tok = this.peek();
    if (tok) this.fail(`unexpected '${tok.text}' in expression`);
  }

  ternary(): bigint {
    const c = this.binary(0);
    if (!this.accept('?')) return c;
    const a = this.ternary();
    this.take(':');
    const b = this.ternary();
    return c !== 0n ? a : b;
  }

  private static readonly LEVELS: readonly (readonly string[])[] = [
    ['||'], ['&&'], ['|'], ['^'], ['&'], ['==', '!='], ['<', '>', '<=', '>='], ['<<', '>>'], ['+', '-'], ['*', '/', '%'],
  ];

  private binary(level: number): bigint {
    if (level === ExprParser.LEVELS.length) return this.unary();
    let left = this.binary(level + 1);
    for (;;) {
      const tok = this.peek();
      if (!tok || tok.kind !== 'punct' || !ExprParser.LEVELS[level]!.includes(tok.text)) return left;
      this.i++;
      const right = this.binary(level + 1);
      left = this.apply(tok, left, right);
    }
  }

  private apply(op: Token, a: bigint, b: bigint): bigint {
    const bool = (x: boolean) => (x ? 1n : 0n);
    switch (op.text) {
      case '||': return bool(a !== 0n || b !== 0n);
      case '&&': return bool(a !== 0n && b !== 0n);
      case '|': return a | b;
      case '^': return a ^ b;
      case '&': return a & b;
      case '==': return bool(a === b);
      case '!=': return bool(a !== b);
      case '<': return bool(a < b);
      case '>': return bool(a > b);
      case '<=': return bool(a <= b);
      case '>=': return bool(a >= b);
      case '<<':
      case '>>':
        if (b < 0n || b > 63n) this.fail(`shift by ${b} is outside 0..63`, op);
        return op.text === '<<' ? a << b : a >> b;
      case '+': return a + b;
      case '-': return a - b;
      case '*': return a * b;
      default:
        if (b === 0n) this.fail(`division by zero`, op);
        return op.text === '/' ? a / b : a % b;
    }
  }

  private unary(): bigint {
    const tok = this.peek();
    if (!tok) this.fail('expression ends too early');
    if (tok.kind === 'punct' && ['-', '+', '~', '!'].includes(tok.text)) {
      this.i++;
      const v = this.unary();
      return tok.text === '-' ? -v : tok.text === '+' ? v : tok.text === '~' ? ~v : v === 0n ? 1n : 0n;
    }
    if (tok.text === '(' && this.startsType(1)) {
      this.i++;
      const type = this.typeName();
      this.take(')');
      return this.cast(type, this.unary());
    }
    if (tok.kind === 'ident' && tok.text === 'sizeof') {
      this.i++;
      return BigInt(this.sizeofOperand());
    }
    if (tok.kind === 'ident' && ['__alignof__', '_Alignof', 'alignof', '__alignof'].includes(tok.text)) {
      this.i++;
      this.take('(');
      const type = this.typeName();
      this.take(')');
      return BigInt(this.env.alignOf(type));
    }
    return this.primary();
  }

  private primary(): bigint {
    const tok = this.take();
    if (tok.kind === 'number') return tok.value as bigint;
    if (tok.text === '(') {
      const v = this.ternary();
      this.take(')');
      return v;
    }
    if (tok.kind === 'ident' && tok.text === 'offsetof') {
      this.take('(');
      const type = this.typeName();
      this.take(',');
      const path = this.memberPath();
      this.take(')');
      return BigInt(this.env.member(type, path, false));
    }
    if (tok.kind === 'ident' && tok.text === 'defined' && this.env.preprocessor) {
      const paren = this.accept('(');
      const name = this.take();
      if (name.kind !== 'ident') this.fail('defined needs a macro name', name);
      if (paren) this.take(')');
      return this.env.isDefined?.(name.text) ? 1n : 0n;
    }
    if (tok.kind === 'ident') {
      const what = this.env.preprocessor ? 'in #if' : 'in an integer constant expression';
      this.fail(`'${tok.text}' is not a defined integer macro ${what}`, tok);
    }
    if (tok.kind === 'string') this.fail('a string literal is not an integer', tok);
    this.fail(`unexpected '${tok.text}' in expression`, tok);
  }

  private startsType(k: number): boolean {
    const tok = this.peek(k);
    return tok?.kind === 'ident' && (tok.text === 'struct' || tok.text === 'union' || this.env.isTypeStart(tok.text));
  }

  private typeName(): TypeName {
    const first = this.take();
    let tag: TypeName['tag'] = 'scalar';
    let name: string;
    if (first.text === 'struct' || first.text === 'union') {
      tag = first.text;
      const n = this.take();
      if (n.kind !== 'ident') this.fail(`expected a ${tag} name`, n);
      name = n.text;
    } else if (first.kind === 'ident' && this.env.isTypeStart(first.text)) {
      const words = [first.text];
      while (SCALAR_WORDS.has(words[0]!) && this.peek()?.kind === 'ident' && SCALAR_WORDS.has(this.peek()!.text)) words.push(this.take().text);
      name = words.join(' ');
    } else {
      this.fail(`expected a type name, found '${first.text}'`, first);
    }
    const pointer = this.accept('*');
    return { tag, name, pointer, pos: first.pos };
  }

  private cast(type: TypeName, v: bigint): bigint {
    if (type.pointer) this.fail('pointer casts are only understood inside offsetof-style sizeof(((struct X *)0)->member)');
    const size = this.env.sizeOf(type);
    const unsigned = !/^(s\d|signed|short|int|long|char)/.test(type.name) || type.name.startsWith('unsigned');
    const bits = BigInt(size * 8);
    return unsigned ? BigInt.asUintN(Number(bits), v) : BigInt.asIntN(Number(bits), v);
  }

  /** sizeof(type), sizeof(((struct X *)0)->member), or sizeof(expr). */
  private sizeofOperand(): number {
    if (this.peek()?.text !== '(') this.fail('sizeof needs parentheses here');
    if (this.startsType(1)) {
      this.take('(');
      const type = this.typeName();
      this.take(')');
      return this.env.sizeOf(type);
    }
    const [a, b, c] = [this.peek(1), this.peek(2), this.peek(3)];
    if (a?.text === '(' && b?.text === '(' && (c?.text === 'struct' || c?.text === 'union')) {
      this.take('(');
      this.take('(');
      this.take('(');
      const type = this.typeName();
      if (!type.pointer) this.fail('expected a pointer type: ((struct X *)0)->member');
      this.take(')');
      const zero = this.take();
      if (zero.value !== 0n) this.fail('expected 0 in ((struct X *)0)->member', zero);
      this.take(')');
      this.take('->');
      const path = this.memberPath();
      this.take(')');
      return this.env.member(type, path, true);
    }
    this.fail('sizeof takes a type name or ((struct X *)0)->member here');
  }

  private memberPath(): MemberStep[] {
    const path: MemberStep[] = [];
    const first = this.take();
    if (first.kind !== 'ident') this.fail('expected a member name', first);
    path.push({ field: first.text });
    for (;;) {
      if (this.accept('.')) {
        const n = this.take();
        if (n.kind !== 'ident') this.fail('expected a member name', n);
        path.push({ field: n.text });
      } else if (this.accept('[')) {
        const idx = this.ternary();
        this.take(']');
        path.push({ index: Number(idx) });
      } else {
        return path;
      }
    }
  }
}
