import { HeaderError, type SourcePos } from './header-error.js';

/** What a token is; comments are kept because kernel-doc lives in them. */
export type TokenKind = 'ident' | 'number' | 'string' | 'punct' | 'comment';

/** One C token with where it starts. */
export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly pos: SourcePos;
  /** Logical line (backslash-newline joins physical lines); directives end with it. */
  readonly logicalLine: number;
  /** First token of its logical line (a `#` here starts a directive). */
  readonly bol: boolean;
  /** No whitespace between this token and the previous one. */
  readonly glued: boolean;
  /** number: the value; string: the decoded text. */
  readonly value?: bigint | string;
}

const PUNCTS = ['...', '<<=', '>>=', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||', '->', '##', '++', '--', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^='];
const SINGLE = '{}[]();,#+-*/%<>|&^~!?:.=';
const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '0': '\0', '\\': '\\', '"': '"', "'": "'", a: '\x07', b: '\b', f: '\f', v: '\v' };

/** Split header text into C tokens (comments included), with exact positions; never evaluates anything. */
export function tokenize(text: string, file: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  let logicalLine = 1;
  let bol = true;
  let glued = false;
  const pos = (at: number): SourcePos => ({ file, line, column: at - lineStart + 1 });
  const fail = (at: number, msg: string): never => {
    throw new HeaderError(pos(at), msg);
  };
  const push = (kind: TokenKind, start: number, startPos: SourcePos, value?: bigint | string) => {
    tokens.push({ kind, text: text.slice(start, i), pos: startPos, logicalLine, bol, glued, ...(value !== undefined ? { value } : {}) });
    bol = false;
    glued = true;
  };
  const newline = (at: number) => {
    line++;
    lineStart = at + 1;
  };
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\n') {
      newline(i);
      i++;
      logicalLine++;
      bol = true;
      glued = false;
      continue;
    }
    if (c === '\\' && (text[i + 1] === '\n' || (text[i + 1] === '\r' && text[i + 2] === '\n'))) {
      i += text[i + 1] === '\r' ? 2 : 1;
      newline(i);
      i++;
      glued = false;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v') {
      i++;
      glued = false;
      continue;
    }
    const start = i;
    const startPos = pos(i);
    if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) fail(i, 'unterminated comment');
      for (let k = i; k < end; k++) if (text[k] === '\n') newline(k);
      i = end + 2;
      push('comment', start, startPos);
      glued = false;
      continue;
    }
    if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      push('comment', start, startPos);
      glued = false;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      while (i < text.length && /[A-Za-z0-9_]/.test(text[i]!)) i++;
      push('ident', start, startPos);
      continue;
    }
    if (/[0-9]/.test(c)) {
      while (i < text.length && /[A-Za-z0-9_.]/.test(text[i]!)) i++;
      push('number', start, startPos, parseNumber(text.slice(start, i), () => fail(start, `not an integer constant: ${text.slice(start, i)}`)));
      continue;
    }
    if (c === '"' || c === "'") {
      let value = '';
      i++;
      while (text[i] !== c) {
        if (i >= text.length || text[i] === '\n') fail(start, `unterminated ${c === '"' ? 'string' : 'character'} literal`);
        if (text[i] === '\\') {
          const e = text[i + 1]!;
          if (e === 'x') {
            const m = /^[0-9a-fA-F]{1,2}/.exec(text.slice(i + 2));
            if (!m) fail(i, 'bad \\x escape');
            value += String.fromCharCode(parseInt(m![0], 16));
            i += 2 + m![0].length;
            continue;
          }
          if (!(e in ESCAPES)) fail(i, `unsupported escape \\${e}`);
          value += ESCAPES[e];
          i += 2;
          continue;
        }
        value += text[i];
        i++;
      }
      i++;
      if (c === "'") {
        if (value.length !== 1) fail(start, 'a character constant must hold exactly one character');
        push('number', start, startPos, BigInt(value.charCodeAt(0)));
      } else {
        push('string', start, startPos, value);
      }
      continue;
    }
    const multi = PUNCTS.find((p) => text.startsWith(p, i));
    if (multi || SINGLE.includes(c)) {
      i += multi ? multi.length : 1;
      push('punct', start, startPos);
      continue;
    }
    fail(i, `unexpected character ${JSON.stringify(c)}`);
  }
  return tokens;
}

function parseNumber(text: string, fail: () => never): bigint {
  const m = /^(0[xX][0-9a-fA-F]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)([uU]?(?:ll|LL|l|L)?|(?:ll|LL|l|L)[uU])$/.exec(text);
  if (!m) fail();
  const digits = m![1]!;
  if (/^0[0-7]+$/.test(digits)) return BigInt(`0o${digits.slice(1)}`);
  return BigInt(digits);
}
