export { validate, ruleMetadata } from './validate.js';
export { rulesFor } from './rules-for.js';
export type { ValidationOptions, ValidationResult } from './validate.js';
export type { EntryCount, EntryFacts, Issue, Rule, RuleContext, RootValue } from './rule.js';
export { CheckContext } from './context.js';
export type { ValidateOptions } from './context.js';
export { rules } from './rules/index.js';
