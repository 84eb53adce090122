// Every JSON report a test parses is checked against the published schema
// (docs/report.schema.json), so the schema is proven by the whole suite, not by one sample.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import type { Report } from '../../src/engine/types.js';

export const REPORT_SCHEMA_PATH = resolve('docs/report.schema.json');

let validate: ValidateFunction | undefined;

// strictRequired is off because the conditional `then: { required: [...] }` names
// properties declared beside it, not inside it; every other strict rule stays on.

function validator(): ValidateFunction {
  validate ??= new Ajv2020({ allErrors: true, strict: true, strictRequired: false }).compile(JSON.parse(readFileSync(REPORT_SCHEMA_PATH, 'utf8')));
  return validate;
}

/** Throws, naming each violation with its JSON pointer, when `value` is not a valid report. */
export function assertValidReport(value: unknown): asserts value is Report {
  const check = validator();
  if (check(value)) return;
  const problems = (check.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`);
  throw new Error(`report does not match docs/report.schema.json:\n  ${problems.slice(0, 20).join('\n  ')}`);
}
