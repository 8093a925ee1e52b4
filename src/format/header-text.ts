import type { ParsedHeader } from '../header/types.js';
import type { headerReport } from '../header/header-report.js';
import { formatPos } from '../header/header-error.js';
import type { LayoutDifference } from '../header/compiler-layout.js';
import { formatStruct } from './pahole.js';

/** `kho-abi header` as text: macros, pahole-style structs, static_asserts, fingerprint and registry matches. */
export function formatHeaderText(h: ParsedHeader, r: ReturnType<typeof headerReport>): string {
  const out: string[] = [`/* ${h.file} */`];
  for (const i of h.includes) out.push(`#include ${i.system ? `<${i.name}>` : `"${i.name}"`}${i.followed ? ` (read ${i.followed})` : ' (not followed; -I DIR to read it)'}`);
  for (const d of h.docs) out.push(`DOC: ${d.title}`);
  for (const d of h.defines) out.push(`#define ${d.name} ${typeof d.value === 'string' ? JSON.stringify(d.value) : String(d.value)}`);
  out.push('', ...h.structs.flatMap((s) => [formatStruct(s.layout), '']));
  for (const a of h.staticAsserts) {
    out.push(`${formatPos(a.pos)}: static_assert(${a.expr}) ${a.holds ? 'holds' : 'FAILS'}${a.message ? ` ("${a.message}")` : ''}`);
  }
  out.push(`layout fingerprint: ${r.fingerprint}`);
  const version = r.version === null ? '' : `, version ${r.version}`;
  const compat = r.compatible.length ? `compat ${r.compatible.map((c) => `"${c}"`).join(', ')}${version}` : 'no *_COMPATIBLE string';
  out.push(r.matches.length ? `registry: ${r.matches.join(', ')} (${compat})` : `registry: unknown layout (${compat})`);
  return out.join('\n');
}

/** `--cc` findings: one compiler-style line per difference, or that every layout agrees. */
export function formatLayoutDiffers(h: ParsedHeader, differs: readonly LayoutDifference[], cc: string): string {
  if (differs.length === 0) return `--cc ${cc}: every struct laid out as ${cc} lays it out`;
  return differs
    .map((d) => {
      const s = h.structs.find((x) => x.name === d.struct);
      const pos = (d.field ? s?.fieldPos.get(d.field) : undefined) ?? s?.pos;
      return `${pos ? formatPos(pos) : h.file}: error[HEADER_LAYOUT_DIFFERS]: ${d.struct}${d.field ? `.${d.field}` : ''}: ${d.message}`;
    })
    .join('\n');
}
