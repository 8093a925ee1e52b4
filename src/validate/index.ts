export { validate, ruleMetadata } from './validate.js';
export { rulesFor } from './rules-for.js';
export type { ValidationOptions, ValidationResult } from './validate.js';
export type { Rule } from './rule.js';
export { rules } from './rules/index.js';
