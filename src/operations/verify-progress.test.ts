/** verify reports every long step (the engine principal by principal, then each group of rules) as host progress. */
import { describe, expect, it } from 'vitest';
import { synthOrganization } from '../synthetic/index.js';
import { createEngineEvaluator } from '../verify/engine-adapter.js';
import type { VerifyProgressEvent } from '../verify/progress.js';
import { verifyModel } from '../verify/verify.js';
import { verifyModelParallel } from './verify-threads.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { nodeHost, type HostEvent } from './host.js';
import { verifyTarget } from './verify.js';

const STEPS = ['preparing', 'engine: principals', 'structural rules', 'access rules', 'external access', 'escalation paths'];

function stepsOf(events: readonly VerifyProgressEvent[]): string[] {
  return events.map((e) => e.step).filter((s, i, all) => all[i - 1] !== s);
}

describe('verify progress', () => {
  const model = synthOrganization({ accounts: 30, rolesPerAccount: 6, resourcesPerAccount: 8, violations: true });

  it('one thread: every step in order, the engine counted up to the principals', () => {
    const events: VerifyProgressEvent[] = [];
    verifyModel(model, { target: 'synth', evaluator: createEngineEvaluator(), progress: (e) => events.push(e) });
    expect(stepsOf(events)).toEqual(STEPS);
    const counted = events.filter((e) => e.total !== undefined);
    const principals = model.roles.length + model.users.length;
    expect(counted.every((e) => e.total === principals)).toBe(true);
    // at most one event per percent, counting up
    expect(counted.length).toBeGreaterThan(10);
    expect(counted.length).toBeLessThanOrEqual(101);
    expect(counted.map((e) => e.done)).toEqual([...counted.map((e) => e.done!)].sort((a, b) => a - b));
  });

  it('without a callback the report is the same', () => {
    const quiet = verifyModel(model, { target: 'synth', evaluator: createEngineEvaluator() });
    const loud = verifyModel(model, { target: 'synth', evaluator: createEngineEvaluator(), progress: () => undefined });
    expect(loud).toEqual(quiet);
  });

  it('threads: the main thread reports the steps too', async () => {
    const events: VerifyProgressEvent[] = [];
    await verifyModelParallel(model, { target: 'synth', threads: 2, progress: (e) => events.push(e) });
    // the external-access rules (they do not read the graph) run while the other threads finish their shares
    expect(stepsOf(events)).toEqual([
      'preparing',
      'engine: principals',
      'external access',
      'engine: waiting for the other threads',
      ...STEPS.slice(2).filter((s) => s !== 'external access'),
    ]);
  });

  it('verifyTarget turns them into host progress events', async () => {
    const text = readFileSync(join(import.meta.dirname, '..', '..', 'examples/acme.yaml'), 'utf8');
    const events: HostEvent[] = [];
    const r = await verifyTarget({ target: { text, label: 'acme.yaml' }, threads: 1 }, nodeHost({ report: (e) => events.push(e) }));
    expect(r.ok).toBe(true);
    const messages = events.filter((e) => e.kind === 'progress' && e.operation === 'verify').map((e) => e.message);
    expect(messages).toContain('verify: structural rules');
    expect(messages.some((m) => /^verify: engine: principals \d+\/\d+$/.test(m))).toBe(true);
    expect(events.some((e) => e.total !== undefined && e.done !== undefined)).toBe(true);
  });
});
