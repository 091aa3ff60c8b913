import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { specJsonSchema } from './json-schema.js';

describe('schema/org-spec.schema.json', () => {
  it('matches the zod schema (run `npm run gen:schema` after changing the spec)', () => {
    const committed = readFileSync(join(import.meta.dirname, '..', '..', 'schema', 'org-spec.schema.json'), 'utf8');
    expect(committed).toBe(specJsonSchema());
  });
  it('describes the spec keys', () => {
    const s = JSON.parse(specJsonSchema());
    expect(Object.keys(s.properties)).toEqual(expect.arrayContaining(['version', 'organization', 'phases', 'businessUnits', 'roles', 'guardrails', 'boundaries', 'auditScopes']));
    expect(s.additionalProperties).toBe(false);
  });
});
