import type { PciAbi } from '../registry.js';
import { compileRootReads, type RootReads } from './root-reads.js';
import { compileRunner, type RuleRunner } from './rule-runner.js';
import { compileScan, type EntryScan } from './scan.js';

/** What validating blobs of one layout compiles once: the readers of its root values, the scan of its entries and the runner of its rules. */
export interface LayoutPlan {
  readonly root: RootReads;
  readonly scan: EntryScan;
  readonly runner: RuleRunner;
}

const plans = new Map<PciAbi, LayoutPlan>();
/** The layout asked for last, and its plan: validating many blobs of one layout costs no lookup. */
let last: { abi: PciAbi; plan: LayoutPlan } | undefined;

/** A layout's plan, compiled on first use. */
export function planOf(abi: PciAbi): LayoutPlan {
  if (last?.abi === abi) return last.plan;
  let plan = plans.get(abi);
  if (!plan) plans.set(abi, (plan = { root: compileRootReads(abi), scan: compileScan(abi), runner: compileRunner(abi) }));
  last = { abi, plan };
  return plan;
}
