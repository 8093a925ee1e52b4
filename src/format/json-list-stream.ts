import { jsonChunks, stringifyJson } from './json.js';

/** An element no real list holds: where it lands in the rendered document, the list's elements go. */
const MARK = { '\u0000kho-abi list element\u0000': true };

/**
 * A JSON document with one list that is written element by element, as the elements come:
 * `add` and `end` give pieces of text, each to be printed as lines (the writer ends a piece with
 * a newline). The text is what stringifyJson gives for the whole document; memory holds one
 * element (the last, until it is known whether a comma follows it), never the list.
 */
export class JsonListStream<T> {
  /** The document up to the list's `[`. */
  private readonly head: string;
  /** The indent of an element's first line. */
  private readonly indent: string;
  /** From the newline before the list's `]` to the end. */
  private readonly tail: string;
  /** The whole document with an empty list. */
  private readonly empty: string;
  private pending: string[] | undefined;

  /** `doc` builds the document around the list it is given. */
  constructor(doc: (list: T[]) => unknown) {
    this.empty = stringifyJson(doc([]));
    const marked = stringifyJson(doc([MARK as T]));
    const element = stringifyJson(MARK);
    const at = marked.indexOf(element);
    const lineStart = marked.lastIndexOf('\n', at);
    this.head = marked.slice(0, lineStart);
    this.indent = marked.slice(lineStart + 1, at);
    this.tail = marked.slice(at + element.length);
  }

  /** One more element; gives the text due now: the document's head for the first, else the element before it and its comma. */
  add(element: T): string[] {
    const due = this.pending ? [...this.pending, ','] : [this.head];
    this.pending = [this.indent, ...jsonChunks(element, this.indent)];
    return due;
  }

  /** The rest of the document, after the last element. */
  end(): string[] {
    return this.pending ? [...this.pending, this.tail] : [this.empty];
  }
}
