export { compatMatrix, compatOutcome } from './compat-outcome.js';
export type { CompatOutcome, Outcome } from './compat-outcome.js';
