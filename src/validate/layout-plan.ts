import type { PciAbi } from '../registry.js';
import { compileRunner, type RuleRunner } from './rule-runner.js';
import { compileScan, type EntryScan } from './scan.js';

/** What validating blobs of one layout compiles once: the scan of its entries and the runner of its rules. */
export interface LayoutPlan {
  readonly scan: EntryScan;
  readonly runner: RuleRunner;
}

const plans = new Map<string, LayoutPlan>();

/** A layout's plan, compiled on first use (one lookup per validation). */
export function planOf(abi: PciAbi): LayoutPlan {
  let plan = plans.get(abi.id);
  if (!plan) plans.set(abi.id, (plan = { scan: compileScan(abi), runner: compileRunner(abi) }));
  return plan;
}
