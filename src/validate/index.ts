export { validate, rulesFor, ruleMetadata } from './validate.js';
export type { ValidationOptions, ValidationResult } from './validate.js';
export type { Finding, Issue, Rule, Severity } from './rule.js';
export { CheckContext } from './context.js';
export type { ValidateOptions, RootValue } from './context.js';
export type { EntryFacts } from './scan.js';
export { rules } from './rules/index.js';
