const isLeaf = (v: unknown): boolean => v === null || typeof v !== 'object';

function leafText(v: unknown): string {
  if (v === undefined) return 'null';
  return typeof v === 'bigint' ? JSON.stringify(v.toString()) : JSON.stringify(v);
}

/** Arrays, and other iterables (a lazy DeviceList) rendered as arrays one element at a time. */
function isList(v: unknown): v is Iterable<unknown> {
  return Array.isArray(v) || (typeof v === 'object' && v !== null && typeof (v as Iterable<unknown>)[Symbol.iterator] === 'function');
}

function* renderList(items: Iterable<unknown>, indent: string): Generator<string> {
  if (Array.isArray(items) && items.every(isLeaf)) {
    yield `[${items.map(leafText).join(', ')}]`;
    return;
  }
  const inner = `${indent}  `;
  let first = true;
  for (const item of items) {
    yield first ? `[\n${inner}` : `,\n${inner}`;
    yield* render(item, inner);
    first = false;
  }
  yield first ? '[]' : `\n${indent}]`;
}

/** An object with a toJSON method (a decoded device) is rendered as what it returns, as JSON.stringify does. */
function jsonOf(v: unknown): unknown {
  return typeof v === 'object' && v !== null && typeof (v as { toJSON?: unknown }).toJSON === 'function' ? (v as { toJSON(): unknown }).toJSON() : v;
}

function* render(value: unknown, indent: string): Generator<string> {
  const v = jsonOf(value);
  if (isLeaf(v)) {
    yield leafText(v);
    return;
  }
  if (isList(v)) {
    yield* renderList(v, indent);
    return;
  }
  const entries = Object.entries(v as object).filter(([, x]) => x !== undefined);
  if (entries.length === 0) {
    yield '{}';
    return;
  }
  // An object of plain values (a device, a finding) stays on one line.
  if (entries.every(([, x]) => isLeaf(x))) {
    yield `{ ${entries.map(([k, x]) => `${JSON.stringify(k)}: ${leafText(x)}`).join(', ')} }`;
    return;
  }
  const inner = `${indent}  `;
  for (let i = 0; i < entries.length; i++) {
    const [k, x] = entries[i]!;
    yield `${i === 0 ? '{\n' : ',\n'}${inner}${JSON.stringify(k)}: `;
    yield* render(x, inner);
  }
  yield `\n${indent}}`;
}

/**
 * JSON text in pieces: indented, flat objects (devices, findings) one per line, bigint as
 * decimal strings, iterables as arrays read one element at a time, so a list of millions
 * of devices is never one string. `indent`: the indent of the line the value starts on (an element of a list).
 */
export function jsonChunks(value: unknown, indent = ''): Iterable<string> {
  return render(value, indent);
}

/** JSON text, indented, with flat objects (devices, findings) one per line and bigint as decimal strings. */
export function stringifyJson(value: unknown): string {
  let out = '';
  for (const chunk of jsonChunks(value)) out += chunk;
  return out;
}
