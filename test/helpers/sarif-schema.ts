import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * The SARIF 2.1.0 schema as @microsoft/jest-sarif ships it (sarif-2.1.0-rtm.5,
 * the schemastore copy GitHub code scanning uses). It is a draft-04 document
 * whose only draft-04 keyword is the top-level `id`; Ajv 8 reads the rest as is.
 */
export function sarifSchema(): object {
  const path = createRequire(import.meta.url).resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
  const { $schema: _s, id: _i, ...schema } = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  return schema;
}
