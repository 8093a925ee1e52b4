export { abiDiff } from './abi-diff.js';
export type { AbiDiffOptions, HeaderDiff } from './abi-diff.js';
export { abiDiffRange } from './range.js';
export type { RangeDiff } from './range.js';
export { ABI_DIFF_RULES } from './rules.js';
export { abiSnapshot, headerSnapshot } from './snapshot.js';
export type { AbiSnapshot } from './snapshot.js';
export { loadSnapshot } from './sources.js';
export { parseSuppressions } from './suppressions.js';
