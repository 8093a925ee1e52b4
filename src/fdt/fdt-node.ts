/** A property of a parsed tree: its name and where its value lies in the tree's bytes. */
export interface FdtProperty {
  readonly name: string;
  /** Offset of the value in the tree. */
  readonly offset: number;
  readonly value: Uint8Array;
}

/** A node of a parsed tree. */
export interface FdtNode {
  readonly name: string;
  /** Offset of the node's FDT_BEGIN_NODE token in the tree. */
  readonly offset: number;
  readonly properties: FdtProperty[];
  readonly children: FdtNode[];
}

/** The property `name` of a node. */
export function fdtProp(node: FdtNode, name: string): FdtProperty | undefined {
  return node.properties.find((p) => p.name === name);
}

/** The child node `name` of a node (unit address included, as the kernel looks it up). */
export function fdtChild(node: FdtNode, name: string): FdtNode | undefined {
  return node.children.find((c) => c.name === name);
}

/** A string property up to its NUL; null when the value is not NUL-terminated. */
export function fdtString(p: FdtProperty): string | null {
  const nul = p.value.indexOf(0);
  return nul < 0 ? null : Buffer.from(p.value.subarray(0, nul)).toString('latin1');
}

/** The first string of a `compatible` list, or null. */
export function fdtCompatible(node: FdtNode): string | null {
  const p = fdtProp(node, 'compatible');
  return p ? fdtString(p) : null;
}

/** An 8-byte value stored in the writer's CPU order (little-endian), as KHO stores every u64; null for any other length. */
export function fdtNativeU64(p: FdtProperty): bigint | null {
  if (p.value.length !== 8) return null;
  return new DataView(p.value.buffer, p.value.byteOffset, 8).getBigUint64(0, true);
}

/** A value of big-endian cells (ordinary device tree numbers) read as one number; null for a length that is not `cells` cells. */
export function fdtCells(value: Uint8Array, cells: number): bigint | null {
  if (value.length !== cells * 4) return null;
  let n = 0n;
  const v = new DataView(value.buffer, value.byteOffset, value.length);
  for (let i = 0; i < cells; i++) n = (n << 32n) | BigInt(v.getUint32(i * 4));
  return n;
}
