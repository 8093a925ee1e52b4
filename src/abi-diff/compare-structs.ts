import type { AbiDiffRuleId } from '../findings.js';
import { typeText, type FieldLayout, type StructLayout } from '../layout/engine.js';

/** A layout or doc difference before severities and suppressions are applied. */
export interface RawChange {
  readonly rule: AbiDiffRuleId;
  /** Absent for header-level (COMPAT) findings. */
  readonly struct?: string;
  readonly field?: string;
  readonly message: string;
  /** Whether the change is in the old side only (a removed struct or member): located there. */
  readonly inOld?: boolean;
}

const isArray = (f: FieldLayout) => f.count !== undefined || f.flexible;
const words = (s: string) => s.replace(/[^A-Za-z0-9]+/g, ' ').trim();

/** What makes a member's bytes mean a kind of value: integer / char / struct / enum / pointer / float, array or not, sign, byte order. */
function typeClass(f: FieldLayout): string {
  const shape = f.flexible ? 'flexible array' : f.count !== undefined ? 'array' : 'scalar';
  const integer = `${f.signed ? 'signed' : 'unsigned'} ${f.bigEndian ? 'big' : 'little'}-endian integer`;
  const what = f.kind === 'struct' ? f.type : f.kind === 'int' ? integer : f.kind;
  return `${shape} of ${what}`;
}

/** How two sides are compared: `attributes` false when a side (BTF) records no packed/aligned attributes, only where the bytes are. */
export interface CompareOptions {
  readonly attributes?: boolean;
}

/** Differences between the structs of two sides, matched by name. */
export function compareStructs(olds: readonly StructLayout[], news: readonly StructLayout[], opts: CompareOptions = {}): RawChange[] {
  const out: RawChange[] = [];
  for (const o of olds) {
    const n = news.find((s) => s.name === o.name && (s.union === true) === (o.union === true));
    const tag = o.union ? 'union' : 'struct';
    if (!n) out.push({ rule: 'FIELD_REMOVED', struct: o.name, message: `${tag} ${o.name} was removed (with its ${o.fields.length} members)`, inOld: true });
    else out.push(...compareStruct(flatten(o), flatten(n), opts.attributes !== false));
  }
  return out;
}

/** Members of anonymous structs and unions are members of the struct around them, as in C. */
function flatten(s: StructLayout): StructLayout {
  if (!s.fields.some((f) => f.name === '')) return s;
  const fields = s.fields.flatMap((f): FieldLayout[] => {
    if (f.name !== '' || !f.struct) return f.name === '' ? [] : [f];
    return flatten(f.struct).fields.map((g) => ({ ...g, offset: g.offset + f.offset, ...(g.bitOffset !== undefined ? { bitOffset: g.bitOffset + f.offset * 8 } : {}) }));
  });
  return { ...s, fields };
}

function compareStruct(o: StructLayout, n: StructLayout, attributes: boolean): RawChange[] {
  const out: RawChange[] = [];
  const tag = n.union ? 'union' : 'struct';
  const at = (field: string | undefined, rule: AbiDiffRuleId, message: string, inOld = false) =>
    out.push({ rule, struct: n.name, ...(field ? { field } : {}), message: `${tag} ${n.name}${field ? `.${field}` : ''}: ${message}`, ...(inOld ? { inOld } : {}) });

  if (o.size !== n.size) at(undefined, 'STRUCT_SIZE_CHANGED', `size changed from ${o.size} to ${n.size} bytes`);
  if (attributes && (o.packed !== n.packed || o.aligned !== n.aligned)) {
    const moved = o.size !== n.size || o.align !== n.align || o.fields.some((f) => n.fields.find((g) => g.name === f.name && g.offset !== f.offset));
    const attrs = (s: StructLayout) => [s.packed ? '__packed' : '', s.aligned ? `__aligned(${s.aligned})` : ''].filter(Boolean).join(' ') || 'no attributes';
    if (moved) at(undefined, 'PACKING_CHANGED', `${attrs(o)} -> ${attrs(n)} (alignment ${o.align} -> ${n.align})`);
  }
  const removed = o.fields.filter((f) => !n.fields.some((g) => g.name === f.name));
  const added = n.fields.filter((g) => !o.fields.some((f) => f.name === g.name));
  const pairs: Array<[FieldLayout, FieldLayout]> = o.fields.flatMap((f) => {
    const g = n.fields.find((x) => x.name === f.name);
    return g ? [[f, g] as [FieldLayout, FieldLayout]] : [];
  });
  for (const r of removed) {
    const k = added.findIndex((a) => a.offset === r.offset && a.size === r.size && a.elementSize === r.elementSize && a.bitOffset === r.bitOffset && a.bitSize === r.bitSize);
    if (k < 0) {
      at(r.name, 'FIELD_REMOVED', `member ${typeText(r)} ${r.name} (offset ${r.offset}, size ${r.size}) was removed`, true);
      continue;
    }
    const a = added.splice(k, 1)[0]!;
    at(a.name, 'FIELD_RENAMED', `member ${r.name} was renamed to ${a.name} (offset ${a.offset}, size ${a.size})`);
    pairs.push([r, a]);
  }
  for (const a of added) at(a.name, 'FIELD_ADDED', `member ${typeText(a)} ${a.name} was added at offset ${a.offset} (size ${a.size})`);
  for (const [f, g] of pairs) compareField(f, g, (rule, message) => at(g.name, rule, message));
  return out;
}

function compareField(f: FieldLayout, g: FieldLayout, at: (rule: AbiDiffRuleId, message: string) => void): void {
  const docs = () => {
    if (f.doc !== undefined && g.doc !== undefined && words(f.doc) !== words(g.doc)) {
      at('FIELD_DOC_CHANGED', `kernel-doc changed: "${f.doc}" -> "${g.doc}"`);
    }
  };
  if (g.name === 'version' && (f.offset !== g.offset || f.size !== g.size)) {
    at('VERSION_FIELD_MOVED', `the version field moved: offset ${f.offset} -> ${g.offset}, size ${f.size} -> ${g.size}; it must never move or change size`);
    if (typeClass(f) !== typeClass(g)) at('FIELD_TYPE_CHANGED', `type changed from ${typeText(f)} to ${typeText(g)}`);
    return docs();
  }
  if (f.offset !== g.offset) at('FIELD_OFFSET_CHANGED', `offset changed from ${f.offset} to ${g.offset}`);
  else if (f.bitOffset !== g.bitOffset) at('FIELD_OFFSET_CHANGED', `bit offset changed from ${f.bitOffset ?? 'none (not a bit-field)'} to ${g.bitOffset ?? 'none (not a bit-field)'}`);
  if (f.size === g.size && f.bitSize !== g.bitSize) at('FIELD_SIZE_CHANGED', `bit-field width changed from ${f.bitSize ?? 'none'} to ${g.bitSize ?? 'none'} bits`);
  if (isArray(f) && !isArray(g) && g.kind === 'int' && g.size === 8) {
    at('ARRAY_BECAME_POINTER', `array ${typeText(f)} became ${typeText(g)}, a physical address: the entries no longer follow the struct`);
    return docs();
  }
  const typeChanged = typeClass(f) !== typeClass(g);
  if (typeChanged) at('FIELD_TYPE_CHANGED', `type changed from ${typeText(f)} to ${typeText(g)}`);
  const elementChanged = isArray(f) && isArray(g) && f.elementSize !== g.elementSize;
  if (elementChanged) at('ELEMENT_SIZE_CHANGED', `array elements changed size from ${f.elementSize} to ${g.elementSize} bytes (${typeText(f)} -> ${typeText(g)})`);
  const countChanged = (f.count ?? 0) !== (g.count ?? 0);
  if (f.size !== g.size && (!elementChanged || countChanged)) {
    at('FIELD_SIZE_CHANGED', `size changed from ${f.size} to ${g.size} bytes${typeText(f) !== typeText(g) ? ` (${typeText(f)} -> ${typeText(g)})` : ''}`);
  }
  docs();
}
