import fc from 'fast-check';
import { blobCase, mutated, rootBytes, type BaseCase } from './base-case.js';
import type { FuzzCase } from './fuzz-case.js';
import type { Mutator } from './mutator.js';

/** Where untargeted edits may go: the whole blob, or the physical pages of an image (never its ELF headers). */
function editable(b: BaseCase): { from: number; to: number } {
  if (!b.image) return { from: 0, to: b.bytes.length };
  return { from: Math.min(...b.image.memory.loads.map((l) => l.offset)), to: b.bytes.length };
}

/** A copy of `bytes` with 1 to 8 bits flipped in [from, to). */
function flipArb(b: BaseCase, made: string): fc.Arbitrary<FuzzCase> {
  const { from, to } = editable(b);
  if (to <= from) return fc.constant(blobCase(b, made, [], rootBytes(b).slice()));
  const bit = fc.tuple(fc.integer({ min: from, max: to - 1 }), fc.nat(7));
  return fc.array(bit, { minLength: 1, maxLength: 8 }).map((bits) =>
    mutated(b, made, [], (copy) => {
      for (const [at, k] of bits) copy[at]! ^= 1 << k;
    }),
  );
}

/** Bit flips: in the blob, in an image's pages, or in a block layout's root read alone. */
const bitFlip: Mutator = {
  name: 'bit-flip',
  applies: () => true,
  cases: (b) => {
    if (!b.image) return flipArb(b, 'bit-flip');
    const root = rootBytes(b);
    const alone = fc.array(fc.tuple(fc.nat(root.length - 1), fc.nat(7)), { minLength: 1, maxLength: 4 }).map((bits) => {
      const copy = root.slice();
      for (const [at, k] of bits) copy[at]! ^= 1 << k;
      return blobCase(b, 'bit-flip', [], copy);
    });
    return fc.oneof({ weight: 3, arbitrary: flipArb(b, 'bit-flip') }, { weight: 1, arbitrary: alone });
  },
};

/** One splice: random bytes over a range, a range copied elsewhere, and (blobs only) bytes inserted or removed. */
function spliceBytes(bytes: Uint8Array, from: number, resize: boolean): fc.Arbitrary<Uint8Array> {
  const len = bytes.length;
  const at = fc.integer({ min: from, max: Math.max(from, len - 1) });
  const overwrite = fc.tuple(at, fc.uint8Array({ minLength: 1, maxLength: 24 })).map(([p, data]) => {
    const out = bytes.slice();
    out.set(data.subarray(0, Math.max(0, len - p)), p);
    return out;
  });
  const copy = fc.tuple(at, at, fc.integer({ min: 1, max: 24 })).map(([src, dst, n]) => {
    const out = bytes.slice();
    out.set(bytes.subarray(src, Math.min(len, src + n)).subarray(0, Math.max(0, len - dst)), dst);
    return out;
  });
  if (!resize) return fc.oneof(overwrite, copy);
  const insert = fc.tuple(fc.nat(len), fc.uint8Array({ minLength: 1, maxLength: 24 })).map(([p, data]) => Uint8Array.from([...bytes.subarray(0, p), ...data, ...bytes.subarray(p)]));
  const remove = fc.tuple(fc.nat(len), fc.integer({ min: 1, max: 24 })).map(([p, n]) => Uint8Array.from([...bytes.subarray(0, p), ...bytes.subarray(p + n)]));
  return fc.oneof(overwrite, copy, insert, remove);
}

/** Random splices: blobs change length too; images keep theirs so their segments stay in place. */
const splice: Mutator = {
  name: 'splice',
  applies: () => true,
  cases: (b) => {
    const { from } = editable(b);
    if (!b.image) return spliceBytes(b.bytes, 0, true).map((bytes) => blobCase(b, 'splice', [], bytes));
    return spliceBytes(b.bytes, from, false).map((bytes) => ({ ...mutated(b, 'splice', [], () => undefined), bytes }));
  },
};

/** Mutators that aim at no rule: whatever they make must still be a finding, never a crash. */
export const untargetedMutators: readonly Mutator[] = [bitFlip, splice];
