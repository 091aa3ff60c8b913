import { z } from 'zod';
import { specSchema } from './schema.js';

/** The spec's JSON Schema (draft 2020-12) as formatted text, for editors (`# yaml-language-server: $schema=`). */
export function specJsonSchema(): string {
  const schema = z.toJSONSchema(specSchema, { target: 'draft-2020-12', io: 'input' });
  return `${JSON.stringify({ ...schema, title: 'bulkhead organization spec' }, null, 2)}\n`;
}
