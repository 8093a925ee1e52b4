import type { FdtPropertyDef } from '../schema/types.js';

const nodeName = (node: string) => (node === '' ? '/' : node === '*' ? '/<entry>' : `/${node}`);

/** The FDT properties of a container header, as a C comment block beside its structs. */
export function formatFdtProperties(props: readonly FdtPropertyDef[]): string {
  const w = Math.max(...props.map((p) => nodeName(p.node).length));
  const n = Math.max(...props.map((p) => p.name.length));
  return [
    '/* flattened device tree properties (u64: 8 bytes in the writer\'s CPU order, not big-endian cells)',
    ...props.map((p) => ` *   ${nodeName(p.node).padEnd(w)}  ${p.name.padEnd(n)}  ${p.type.padEnd(6)}  ${p.doc}`),
    ' */',
  ].join('\n');
}
