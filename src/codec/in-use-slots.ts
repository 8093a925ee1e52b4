import type { FieldLayout } from '../layout/engine.js';
import { readColumn, strided } from './column.js';

/** Storage indices of the slots whose refcount is non-zero, in storage order; null when all are. */
export function inUseSlots(view: DataView, base: number, stride: number, refcount: FieldLayout, slots: number): Uint32Array | null {
  const start = base + refcount.offset;
  const { src, step } = strided(view, start, stride, refcount) ?? { src: readColumn(view, start, stride, refcount, null, slots), step: 1 };
  // Every slot in use up to the first free one: the identity list is implied (nothing allocated), and the dense loops are faster.
  let first = 0;
  while (first < slots && src[first * step] !== 0) first++;
  if (first === slots) return null;
  const out = new Uint32Array(slots);
  for (let i = 0; i < first; i++) out[i] = i;
  let n = first;
  for (let i = first + 1, j = i * step; i < slots; i++, j += step) if (src[j] !== 0) out[n++] = i;
  return out.subarray(0, n);
}
