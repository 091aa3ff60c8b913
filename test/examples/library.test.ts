import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

describe('library examples', () => {
  it('plan-emit-verify plans, emits into a directory and verifies a snapshot through the package entry', () => {
    expect(existsSync(join(root, 'dist/index.js')), 'dist/ is built by `npm ci` (prepare) or `npm run build`').toBe(true);
    const work = mkdtempSync(join(tmpdir(), 'bulkhead-library-'));
    const out = execFileSync(process.execPath, ['--import', 'tsx', join(root, 'examples/library/plan-emit-verify.ts'), work], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    const summary = JSON.parse(out.trim().split('\n').pop() ?? '{}') as Record<string, number>;
    expect(summary['accounts']).toBe(15);
    expect(summary['emittedFiles']).toBeGreaterThan(5);
    expect(summary['snapshotAccounts']).toBe(12);
    expect(summary['critical']).toBeGreaterThan(0); // the planted dev → prod chain
    expect(readdirSync(join(work, 'tf'))).toContain('organization.tf');
    expect(readdirSync(join(work, 'snapshot'))).toContain('manifest.json');
  });
});
