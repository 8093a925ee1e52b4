/** A `/** … *\/` kernel-doc comment, split into its parts. */
export interface KernelDoc {
  /** What the first line names: `struct`, `union`, `enum`, a `DOC:` block, or a macro/function. */
  readonly kind: 'struct' | 'union' | 'enum' | 'doc' | 'other';
  /** The struct, union, enum, macro name, or the DOC: title. */
  readonly name: string;
  /** The text after `name -` on the first line. */
  readonly summary: string;
  /** `@member: text`, whitespace collapsed, continuation lines joined. */
  readonly members: ReadonlyMap<string, string>;
  /** Everything else, paragraphs kept. */
  readonly body: string;
}

/** Whether a comment token is kernel-doc (`/**`, not `/***` or `/**\/`). */
export function isKernelDoc(comment: string): boolean {
  return comment.startsWith('/**') && !comment.startsWith('/***') && comment !== '/**/';
}

const collapse = (s: string) => s.replace(/\s+/g, ' ').trim();

/** Parse a kernel-doc comment (see Documentation/doc-guide/kernel-doc.rst). */
export function parseKernelDoc(comment: string): KernelDoc {
  const lines = comment
    .slice(3, -2)
    .split('\n')
    .map((l) => l.replace(/^\s*\*( |$)?/, ''));
  while (lines.length && lines[0]!.trim() === '') lines.shift();
  const first = lines[0]?.trimStart().startsWith('@') ? '' : collapse(lines.shift() ?? '');
  let kind: KernelDoc['kind'] = 'other';
  let name = '';
  let summary = '';
  const doc = /^DOC:\s*(.*)$/.exec(first);
  const head = /^(?:(struct|union|enum)\s+)?([A-Za-z_][A-Za-z0-9_]*)(?:\(\))?\s*(?:-\s*(.*))?$/.exec(first);
  if (doc) {
    kind = 'doc';
    name = doc[1]!;
  } else if (head) {
    kind = (head[1] as KernelDoc['kind'] | undefined) ?? 'other';
    name = head[2]!;
    summary = head[3] ?? '';
  } else {
    summary = first;
  }
  const members = new Map<string, string>();
  const body: string[] = [];
  let current: string | null = null;
  for (const line of lines) {
    const m = /^\s*@([A-Za-z_][A-Za-z0-9_.]*|\.\.\.)\s*:(.*)$/.exec(line);
    if (m) {
      current = m[1]!;
      members.set(current, collapse(m[2]!));
    } else if (current !== null && line.trim() !== '') {
      members.set(current, collapse(`${members.get(current)} ${line}`));
    } else {
      current = null;
      body.push(line);
    }
  }
  return { kind, name, summary, members, body: body.join('\n').trim() };
}
