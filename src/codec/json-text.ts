import { UsageError } from '../errors.js';

/** Text that is not JSON, at a byte offset (and, inside a lazy array, an element). */
export class JsonTextError extends UsageError {}

/**
 * The elements of a JSON array still in its text, each parsed when the iteration reaches
 * it: a million devices of `decode --json` cost one small object at a time, not a heap of them.
 */
export class JsonArrayText implements Iterable<unknown> {
  constructor(
    private readonly text: Buffer,
    /** Byte offset of the `[`. */
    private readonly start: number,
    /** The key the array belongs to, for error paths. */
    private readonly key: string,
  ) {}

  *[Symbol.iterator](): Iterator<unknown> {
    const { text } = this;
    let i = skipSpace(text, this.start + 1);
    if (text[i] === RBRACKET) return;
    for (let k = 0; ; k++) {
      const end = valueEnd(text, i);
      yield parseSlice(text, i, end, this.key, k);
      i = skipSpace(text, end);
      if (text[i] === RBRACKET) return;
      if (text[i] !== COMMA) throw syntax(text, i, `${this.key}[${k}]`, "',' or ']'");
      i = skipSpace(text, i + 1);
    }
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;

const isSpace = (c: number | undefined): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

function skipSpace(text: Uint8Array, i: number): number {
  while (isSpace(text[i])) i++;
  return i;
}

function syntax(text: Uint8Array, at: number, path: string | undefined, expected: string): UsageError {
  const found = at >= text.length ? 'the end of the text' : JSON.stringify(String.fromCharCode(text[at]!));
  return new JsonTextError(`not JSON: expected ${expected} at byte ${at}, found ${found}`, path);
}

/**
 * The offset just past the JSON value that starts at byte i: a string, an object or array
 * (brackets counted outside strings), or a number or literal. Its inside is checked by JSON.parse.
 */
function valueEnd(text: Uint8Array, i: number): number {
  const c = text[i];
  if (c === QUOTE) return stringEnd(text, i);
  if (c === LBRACE || c === LBRACKET) {
    let depth = 0;
    for (let j = i; j < text.length; j++) {
      const d = text[j];
      if (d === QUOTE) j = stringEnd(text, j) - 1;
      else if (d === LBRACE || d === LBRACKET) depth++;
      else if (d === RBRACE || d === RBRACKET) {
        if (--depth === 0) return j + 1;
      }
    }
    return text.length;
  }
  let j = i;
  while (j < text.length && text[j] !== COMMA && text[j] !== RBRACE && text[j] !== RBRACKET && !isSpace(text[j])) j++;
  return j;
}

function stringEnd(text: Uint8Array, i: number): number {
  for (let j = i + 1; j < text.length; j++) {
    if (text[j] === BACKSLASH) j++;
    else if (text[j] === QUOTE) return j + 1;
  }
  return text.length;
}

/** JSON.parse of text[start, end); `key` and `element` name it in an error (the path is built only then). */
function parseSlice(text: Buffer, start: number, end: number, key: string | undefined, element?: number): unknown {
  try {
    return JSON.parse(text.toString('utf8', start, end));
  } catch (e) {
    throw new JsonTextError(`not JSON (${(e as Error).message}) at byte ${start}`, element === undefined ? key : `${key}[${element}]`);
  }
}

/**
 * Parse a JSON object from UTF-8 text as JSON.parse does, except that the arrays under
 * `lazyKeys` stay in the text as a JsonArrayText, read element by element when iterated.
 * Syntax errors are JsonTextErrors with the byte offset (and, inside a lazy array, the element).
 */
export function parseJsonObject(bytes: Uint8Array, lazyKeys: ReadonlySet<string>): Record<string, unknown> {
  // One Buffer over the bytes: a slice is decoded without a view object of its own.
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: Record<string, unknown> = {};
  let i = skipSpace(text, text[0] === 0xef && text[1] === 0xbb && text[2] === 0xbf ? 3 : 0);
  if (text[i] !== LBRACE) return parseSlice(text, i, text.length, undefined) as Record<string, unknown>;
  i = skipSpace(text, i + 1);
  if (text[i] !== RBRACE) {
    for (;;) {
      if (text[i] !== QUOTE) throw syntax(text, i, undefined, 'a key');
      const keyEnd = stringEnd(text, i);
      const key = parseSlice(text, i, keyEnd, undefined) as string;
      i = skipSpace(text, keyEnd);
      if (text[i] !== COLON) throw syntax(text, i, key, "':'");
      i = skipSpace(text, i + 1);
      const end = valueEnd(text, i);
      const value = lazyKeys.has(key) && text[i] === LBRACKET ? new JsonArrayText(text, i, key) : parseSlice(text, i, end, key);
      // As JSON.parse: an own property whatever the name (even __proto__), the last of duplicates wins.
      Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
      i = skipSpace(text, end);
      if (text[i] === RBRACE) break;
      if (text[i] !== COMMA) throw syntax(text, i, undefined, "',' or '}'");
      i = skipSpace(text, i + 1);
    }
  }
  i = skipSpace(text, i + 1);
  if (i < text.length) throw syntax(text, i, undefined, 'the end of the text');
  return out;
}
