type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const isLeaf = (v: unknown): v is null | boolean | number | string => v === null || typeof v !== 'object';

/** Normalize to plain JSON: bigint as a decimal string (the protobuf JSON mapping for 64-bit), undefined dropped. */
function plain(value: unknown): Json | undefined {
  return JSON.parse(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))) as Json | undefined;
}

function render(v: Json, indent: string): string {
  if (isLeaf(v)) return JSON.stringify(v);
  const inner = `${indent}  `;
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    if (v.every(isLeaf)) return `[${v.map((x) => JSON.stringify(x)).join(', ')}]`;
    return `[\n${v.map((x) => inner + render(x, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(v);
  if (entries.length === 0) return '{}';
  // An object of plain values (a device, a finding) stays on one line.
  if (entries.every(([, x]) => isLeaf(x))) return `{ ${entries.map(([k, x]) => `${JSON.stringify(k)}: ${JSON.stringify(x)}`).join(', ')} }`;
  return `{\n${entries.map(([k, x]) => `${inner}${JSON.stringify(k)}: ${render(x, inner)}`).join(',\n')}\n${indent}}`;
}

/** JSON text, indented, with flat objects (devices, findings) one per line and bigint as decimal strings. */
export function stringifyJson(value: unknown): string {
  const v = plain(value);
  return v === undefined ? 'null' : render(v, '');
}
