import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as bulkhead from './index.js';

describe('library entry', () => {
  it('plans, verifies and emits a spec without touching the file system', () => {
    const text = readFileSync(join(import.meta.dirname, '..', 'examples', 'acme.yaml'), 'utf8');
    const planned = bulkhead.planFromYaml(text, 'acme.yaml');
    const { diagnostics } = planned;
    const model = planned.ok ? planned.value : undefined;
    expect(diagnostics).toEqual([]);
    expect(model?.sizing?.total).toBe(10);
    const tf = bulkhead.emitTerraform(model!);
    expect(tf.ok).toBe(true);
    expect(bulkhead.catalog.capabilitiesOf('s3:GetObject')).toEqual(['read-data']);
  });
});
