import { HeaderError, type SourcePos } from './header-error.js';
import type { Token } from './tokenize.js';

/** A type named inside sizeof/offsetof/casts: `struct X`, `union X`, `enum X`, or a scalar or typedef name like `u64`, `unsigned long`. */
export interface TypeName {
  readonly tag: 'struct' | 'union' | 'enum' | 'scalar';
  readonly name: string;
  readonly pointer: boolean;
  readonly pos: SourcePos;
}

/** One step of a member designator: `.name` or `[index]`. */
export type MemberStep = { readonly field: string } | { readonly index: number };

/** What expressions need from the header around them (tokens arrive macro-expanded). */
export interface ExprEnv {
  /** An enum constant's value. */
  constant(name: string): bigint | undefined;
  isTypeStart(name: string): boolean;
  sizeOf(type: TypeName): number;
  alignOf(type: TypeName): number;
  /** Whether a scalar type is signed (for casts). */
  isSigned(type: TypeName): boolean;
  /** offsetof(type, path) when `size` is false; sizeof the member when true. */
  member(type: TypeName, path: readonly MemberStep[], size: boolean): number;
  /** `#if`: an identifier left after expansion is 0, as in C. */
  readonly preprocessor?: boolean;
}

/** Bound on parenthesis and operator nesting in one expression. */
const MAX_DEPTH = 500;

const SCALAR_WORDS = new Set(['unsigned', 'signed', 'char', 'short', 'int', 'long', '_Bool']);

/** Evaluate an integer constant expression (the C subset KHO headers use) as a mathematical integer. */
export function evaluate(tokens: readonly Token[], env: ExprEnv, at: SourcePos): bigint {
  const p = new ExprParser(tokens, env, at);
  const v = p.ternary();
  p.end();
  return v;
}

class ExprParser {
  private i = 0;
  private depth = 0;
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
    if (++this.depth > MAX_DEPTH) this.fail(`expression nested deeper than ${MAX_DEPTH}`);
    const c = this.binary(0);
    this.depth--;
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
      if (++this.depth > MAX_DEPTH) this.fail(`expression nested deeper than ${MAX_DEPTH}`);
      const v = this.unary();
      this.depth--;
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
    if (tok.kind === 'ident' && (tok.text === '__kho_abi_ilog2' || tok.text === '__kho_abi_is_enabled')) {
      this.i++;
      this.take('(');
      if (tok.text === '__kho_abi_is_enabled') {
        const arg = this.take();
        this.take(')');
        return arg.kind === 'number' && arg.value !== 0n ? 1n : 0n;
      }
      const v = this.ternary();
      this.take(')');
      if (v <= 0n) this.fail(`ilog2 of ${v}`, tok);
      return BigInt(v.toString(2).length - 1);
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
    if (tok.kind === 'ident' && (tok.text === 'offsetof' || tok.text === '__builtin_offsetof')) {
      this.take('(');
      const type = this.typeName();
      this.take(',');
      const path = this.memberPath();
      this.take(')');
      return BigInt(this.env.member(type, path, false));
    }
    if (tok.kind === 'ident') {
      const c = this.env.constant(tok.text);
      if (c !== undefined) return c;
      if (this.env.preprocessor) return 0n;
      if (this.peek()?.text === '(') this.fail(`'${tok.text}(…)' is not a defined function-like macro`, tok);
      this.fail(`'${tok.text}' is not a defined integer macro or enum constant`, tok);
    }
    if (tok.kind === 'string') this.fail('a string literal is not an integer', tok);
    this.fail(`unexpected '${tok.text}' in expression`, tok);
  }

  private startsType(k: number): boolean {
    const tok = this.peek(k);
    return tok?.kind === 'ident' && (tok.text === 'struct' || tok.text === 'union' || tok.text === 'enum' || this.env.isTypeStart(tok.text));
  }

  private typeName(): TypeName {
    while (this.peek()?.text === 'const' || this.peek()?.text === 'volatile') this.i++;
    const first = this.take();
    let tag: TypeName['tag'] = 'scalar';
    let name: string;
    if (first.text === 'struct' || first.text === 'union' || first.text === 'enum') {
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
    while (this.peek()?.text === 'const' || this.peek()?.text === 'volatile') this.i++;
    let pointer = false;
    while (this.accept('*')) pointer = true;
    return { tag, name, pointer, pos: first.pos };
  }

  private cast(type: TypeName, v: bigint): bigint {
    if (type.pointer) this.fail('pointer casts are only understood inside offsetof-style sizeof(((struct X *)0)->member)');
    const bits = this.env.sizeOf(type) * 8;
    if (type.tag === 'struct' || type.tag === 'union') this.fail(`cannot cast to ${type.tag} ${type.name}`);
    return this.env.isSigned(type) ? BigInt.asIntN(bits, v) : BigInt.asUintN(bits, v);
  }

  /** sizeof(type), sizeof(((struct X *)0)->member), or sizeof(expr). */
  private sizeofOperand(): number {
    const strings = (k: number) => {
      let n = 0;
      while (this.peek(k + n)?.kind === 'string') n++;
      return n;
    };
    const bare = strings(0);
    if (bare) return this.stringSize(0, bare);
    if (this.peek()?.text !== '(') this.fail('sizeof needs parentheses here');
    const inner = strings(1);
    if (inner && this.peek(1 + inner)?.text === ')') {
      this.take('(');
      const size = this.stringSize(0, inner);
      this.take(')');
      return size;
    }
    if (this.startsType(1)) {
      this.take('(');
      const type = this.typeName();
      this.take(')');
      return this.env.sizeOf(type);
    }
    const [a, b, c] = [this.peek(1), this.peek(2), this.peek(3)];
    if (a?.text === '(' && b?.text === '(' && (c?.text === 'struct' || c?.text === 'union' || (c?.kind === 'ident' && this.env.isTypeStart(c.text)))) {
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

  /** sizeof of adjacent string literals: their concatenation plus the terminating NUL. */
  private stringSize(k: number, n: number): number {
    let size = 1;
    for (let j = 0; j < n; j++) size += Buffer.byteLength(this.peek(k + j)!.value as string, 'utf8');
    this.i += n;
    return size;
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
