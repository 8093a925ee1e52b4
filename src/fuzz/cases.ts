import fc from 'fast-check';
import type { PciAbi } from '../registry.js';
import { validBlobArb } from './arbitraries.js';
import { flatBase, imageBase, validCase, type BaseCase } from './base-case.js';
import { validImageArb } from './block-image.js';
import type { FuzzCase } from './fuzz-case.js';
import { mutators } from './mutators.js';

/** A valid case of an id with its layout facts: a kernel-like blob, or (block layouts) an image. */
export function baseArb(abi: PciAbi): fc.Arbitrary<BaseCase> {
  return abi.storage === 'inline' ? validBlobArb(abi).map((g) => flatBase(abi, g)) : validImageArb(abi).map((g) => imageBase(abi, g));
}

/** Fuzz cases of an id: about 1 in 5 valid, 3 in 5 from a targeted mutator, 1 in 5 bit flips or splices. */
export function caseArb(abi: PciAbi): fc.Arbitrary<FuzzCase> {
  return baseArb(abi).chain((b) => {
    const usable = mutators.filter((m) => m.applies(b));
    const pickFrom = (list: typeof usable) => fc.oneof(...list.map((m) => ({ weight: m.weight ?? 100, arbitrary: fc.constant(m) }))).chain((m) => m.cases(b));
    const targeted = usable.filter((m) => m.rule !== undefined);
    const untargeted = usable.filter((m) => m.rule === undefined);
    return fc.oneof(
      { weight: 1, arbitrary: fc.constant(validCase(b)) },
      { weight: 3, arbitrary: pickFrom(targeted) },
      { weight: 1, arbitrary: pickFrom(untargeted) },
    );
  });
}
