import { checkFdtHeader, readFdtHeader, type FdtHeader, type FdtProblem } from './fdt-header.js';
import type { FdtNode } from './fdt-node.js';

const FDT_BEGIN_NODE = 1;
const FDT_END_NODE = 2;
const FDT_PROP = 3;
const FDT_NOP = 4;
const FDT_END = 9;
/** FDT_MAX_DEPTH of libfdt's fdt_check_full. */
export const FDT_MAX_DEPTH = 32;

/** A parsed tree: the nodes read (up to the first problem) and that problem, if any. */
export interface ParsedFdt {
  readonly header: FdtHeader;
  /** The root node; null when the header or the first token is bad. */
  readonly root: FdtNode | null;
  readonly problem: FdtProblem | null;
}

/**
 * Parse a flattened device tree as libfdt's fdt_check_full checks it: the header, the
 * memory reserve map ending inside the tree, then every token of the structure block
 * (names NUL-terminated inside the block, property values inside it, name offsets inside
 * the strings block, nesting at most FDT_MAX_DEPTH, one root, FDT_END last). Reads only
 * `bytes`; time is linear in the structure block.
 */
export function parseFdt(bytes: Uint8Array): ParsedFdt {
  const header = readFdtHeader(bytes);
  const bad = checkFdtHeader(header, bytes.length);
  if (bad) return { header, root: null, problem: bad };
  const rsv = checkReserveMap(bytes, header);
  if (rsv) return { header, root: null, problem: rsv };
  const { root, problem } = walkStructure(bytes, header);
  return { header, root, problem };
}

function checkReserveMap(bytes: Uint8Array, h: FdtHeader): FdtProblem | null {
  const v = new DataView(bytes.buffer, bytes.byteOffset, h.totalsize);
  for (let at = h.off_mem_rsvmap; at + 16 <= h.totalsize; at += 16) {
    if (v.getBigUint64(at) === 0n && v.getBigUint64(at + 8) === 0n) return null;
  }
  return { offset: h.off_mem_rsvmap, message: `the memory reserve map has no terminating (0, 0) entry before totalsize ${h.totalsize}` };
}

function walkStructure(bytes: Uint8Array, h: FdtHeader): { root: FdtNode | null; problem: FdtProblem | null } {
  const v = new DataView(bytes.buffer, bytes.byteOffset, h.totalsize);
  const end = h.off_dt_struct + h.size_dt_struct;
  const strings = bytes.subarray(h.off_dt_strings, h.off_dt_strings + h.size_dt_strings);
  const stack: FdtNode[] = [];
  let root: FdtNode | null = null;
  let at = h.off_dt_struct;
  const fail = (offset: number, message: string) => ({ root, problem: { offset, message } });
  const cstring = (from: number, limit: number): string | null => {
    const nul = bytes.subarray(from, limit).indexOf(0);
    return nul < 0 ? null : Buffer.from(bytes.subarray(from, from + nul)).toString('latin1');
  };
  while (true) {
    if (at + 4 > end) return fail(at, `the structure block ends at offset ${end} without FDT_END`);
    const tag = v.getUint32(at);
    const tokenAt = at;
    at += 4;
    switch (tag) {
      case FDT_BEGIN_NODE: {
        const name = cstring(at, end);
        if (name === null) return fail(tokenAt, 'a node name runs past the structure block without its NUL');
        at = align4(at + name.length + 1);
        if (root && !stack.length) return fail(tokenAt, `node "${name}" follows the end of the root node`);
        if (stack.length >= FDT_MAX_DEPTH) return fail(tokenAt, `nodes nest deeper than ${FDT_MAX_DEPTH} levels`);
        const node: FdtNode = { name, offset: tokenAt, properties: [], children: [] };
        if (stack.length) stack.at(-1)!.children.push(node);
        else root = node;
        stack.push(node);
        break;
      }
      case FDT_END_NODE:
        if (!stack.length) return fail(tokenAt, 'FDT_END_NODE with no node open');
        stack.pop();
        break;
      case FDT_PROP: {
        if (at + 8 > end) return fail(tokenAt, 'a property header runs past the structure block');
        const len = v.getUint32(at);
        const nameoff = v.getUint32(at + 4);
        at += 8;
        if (!stack.length) return fail(tokenAt, 'a property outside any node');
        if (len > end - at) return fail(tokenAt, `property length ${len} runs past the structure block (${end - at} bytes left)`);
        if (nameoff >= strings.length) return fail(tokenAt, `property name offset ${nameoff} is outside the ${strings.length}-byte strings block`);
        const name = cstring(h.off_dt_strings + nameoff, h.off_dt_strings + strings.length);
        if (name === null) return fail(tokenAt, `property name at strings offset ${nameoff} has no NUL inside the strings block`);
        stack.at(-1)!.properties.push({ name, offset: at, value: bytes.subarray(at, at + len) });
        at = align4(at + len);
        break;
      }
      case FDT_NOP:
        break;
      case FDT_END:
        if (!root) return fail(tokenAt, 'FDT_END before any node');
        if (stack.length) return fail(tokenAt, `FDT_END with ${stack.length} node(s) still open`);
        return { root, problem: null };
      default:
        return fail(tokenAt, `unknown token 0x${tag.toString(16)} in the structure block`);
    }
  }
}

function align4(n: number): number {
  return (n + 3) & ~3;
}
