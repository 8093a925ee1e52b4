import { typeText, type FieldLayout, type StructLayout } from '../layout/engine.js';
import { isBitField, isInline } from '../layout/struct-json.js';

const CACHELINE = 64;

const startBit = (f: FieldLayout) => (isBitField(f) ? f.bitOffset! : f.offset * 8);
const endBit = (f: FieldLayout) => (isBitField(f) ? f.bitOffset! + f.bitSize! : (f.offset + f.size) * 8);

/**
 * `/*   140: 8  4 *\/` for a bit-field (storage unit offset, bit in it, unit size), else
 * `/*    44     4 *\/`; `base` is the offset of the inline struct the member is in.
 */
function position(f: FieldLayout, base: number): string {
  const offset = String(base + f.offset).padStart(5);
  if (!isBitField(f)) return `/* ${offset} ${String(f.size).padStart(5)} */`;
  return `/* ${offset}:${String(f.bitOffset! - f.offset * 8).padStart(2)}${String(f.size).padStart(3)} */`;
}

/** Type and name columns; a function pointer's name goes inside it: `void` `(*fn)(int);`. */
function columns(f: FieldLayout, suffix: string): [string, string] {
  const fn = f.type.indexOf(' (*)');
  if (fn < 0) return [f.type, `${f.name}${suffix};`];
  return [f.type.slice(0, fn), `(*${f.name}${suffix})${f.type.slice(fn + 4)};`];
}

/** The lines of one member at a nesting depth (1 = directly in the struct). */
function memberLines(f: FieldLayout, depth: number, base: number): string[] {
  const tabs = '\t'.repeat(depth);
  const typeWidth = Math.max(26 - 8 * (depth - 1), 10);
  const suffix = `${typeText(f).slice(f.type.length)}${isBitField(f) ? `:${f.bitSize}` : ''}`;
  if (isInline(f)) {
    const inner = f.struct!;
    const body = fieldLines(inner, depth + 1, base + f.offset);
    const close = `${tabs}}${f.name ? ` ${f.name}${suffix}` : suffix};`;
    const pad = ' '.repeat(Math.max(1, 8 * depth + typeWidth + 23 - (close.length - depth + 8 * depth)));
    return [`${tabs}${inner.union ? 'union' : 'struct'} {`, ...body, `${close}${pad}${position(f, base)}`];
  }
  const [type, name] = columns(f, suffix);
  return [`${tabs}${type.padEnd(typeWidth)} ${name.padEnd(21 - Math.max(0, type.length - typeWidth))} ${position(f, base)}`];
}

/** Bits left unused after a bit-field, before the next member (or the struct's end, when under a byte). */
function bitHoleAfter(s: StructLayout, i: number): number {
  const f = s.fields[i]!;
  const next = s.fields[i + 1];
  if (s.union || !isBitField(f)) return 0;
  const bits = (next ? startBit(next) : s.size * 8) - endBit(f);
  return bits > 0 && (next !== undefined || bits < 8) ? bits : 0;
}

/** Member lines of a struct with its holes (bit holes after bit-fields, byte holes before the member they end at). */
function fieldLines(s: StructLayout, depth: number, base: number): string[] {
  const tabs = '\t'.repeat(depth);
  const lines: string[] = [];
  s.fields.forEach((f, i) => {
    const prev = s.fields[i - 1];
    const hole = s.union || !prev || isBitField(prev) ? undefined : s.gaps.find((g) => g.kind === 'hole' && g.offset + g.size === startBit(f) / 8);
    if (hole) lines.push('', `${tabs}/* XXX ${hole.size} byte${hole.size === 1 ? '' : 's'} hole, try to pack */`, '');
    lines.push(...memberLines(f, depth, base));
    const bits = bitHoleAfter(s, i);
    if (bits) lines.push('', `${tabs}/* XXX ${bits} bit${bits === 1 ? '' : 's'} hole, try to pack */`, '');
  });
  return lines;
}

/** A struct as pahole prints it: one member a line with offset and size, holes, and a summary. */
export function formatStruct(s: StructLayout): string {
  const lines = [`${s.union ? 'union' : 'struct'} ${s.name} {`, ...fieldLines(s, 1, 0)];
  const bitFields = s.fields.filter(isBitField);
  const holes = s.gaps.filter((g) => g.kind === 'hole' && !bitFields.some((f) => g.offset * 8 >= endBit(f) && g.offset * 8 - endBit(f) < 8));
  const padding = s.gaps.find((g) => g.kind === 'padding')?.size ?? 0;
  const sum = s.fields.filter((f) => !isBitField(f)).reduce((n, f) => n + f.size, 0);
  const summary = [`size: ${s.size}`, `cachelines: ${Math.max(1, Math.ceil(s.size / CACHELINE))}`, `members: ${s.fields.length}`];
  if (holes.length) summary.push(`sum members: ${sum}`, `holes: ${holes.length}`, `sum holes: ${holes.reduce((n, g) => n + g.size, 0)}`);
  if (padding) summary.push(`padding: ${padding}`);
  lines.push('', `\t/* ${summary.join(', ')} */`);
  if (bitFields.length) {
    const bitHoles = s.fields.map((_, i) => bitHoleAfter(s, i)).filter((b) => b > 0);
    const holeText = bitHoles.length ? `, bit holes: ${bitHoles.length}, sum bit holes: ${bitHoles.reduce((a, b) => a + b, 0)} bits` : '';
    lines.push(`\t/* sum bitfield members: ${bitFields.reduce((n, f) => n + f.bitSize!, 0)} bits${holeText} */`);
  }
  lines.push(`\t/* last cacheline: ${s.size % CACHELINE || Math.min(s.size, CACHELINE)} bytes */`);
  const attrs = [s.packed ? '__packed__' : '', s.aligned ? `__aligned__(${s.aligned})` : ''].filter(Boolean);
  lines.push(attrs.length ? `} __attribute__((${attrs.join(', ')}));` : '};');
  return lines.join('\n');
}
