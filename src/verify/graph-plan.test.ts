import { describe, expect, it } from 'vitest';
import { synthOrganization } from '../synthetic/synth.js';
import { createEngineEvaluator } from './engine-adapter.js';
import type { AccessEvaluator, QuestionPlan } from './engine-port.js';
import { candidatePairs, evaluateShare } from './graph.js';
import { prepareVerify } from './verify.js';

describe('the question plan evaluateShare gives the engine', () => {
  const m = synthOrganization({ accounts: 8, rolesPerAccount: 4, resourcesPerAccount: 3 });
  const p = prepareVerify(m, {});
  const c = candidatePairs(p.principals, p.resources);

  it('names, per resource, the last principal that asks about it, and is withdrawn when the share is done', () => {
    const engine = createEngineEvaluator();
    const plans: (QuestionPlan | undefined)[] = [];
    const asked = new Map<object, number>();
    let position = -1;
    let last: object | undefined;
    const recording: AccessEvaluator = {
      ...engine,
      capabilities: (principal, resource) => {
        if (principal !== last) position = p.principals.findIndex((x) => x.ctx === principal);
        last = principal;
        asked.set(resource, position);
        return engine.capabilities(principal, resource);
      },
      expectQuestions: (plan) => {
        plans.push(plan);
        engine.expectQuestions?.(plan);
      },
    };
    evaluateShare(p.principals, p.resources, c, recording);
    expect(plans).toHaveLength(2);
    expect(plans[1]).toBeUndefined();
    const plan = plans[0]!;
    expect(plan.principals).toEqual(p.principals.map((x) => x.ctx));
    // the plan's last asker is the last principal that asked (questions follow the candidates)
    p.resources.forEach((r, i) => expect(plan.lastAsker[i]).toBe(asked.get(r.ctx) ?? -1));
    expect([...asked.values()].some((x) => x > 0)).toBe(true);
  });

  it('gives the same answers with and without the plan', () => {
    const planned = evaluateShare(p.principals, p.resources, c, createEngineEvaluator());
    const engine = createEngineEvaluator();
    const unplanned = evaluateShare(p.principals, p.resources, c, { ...engine, expectQuestions: undefined });
    expect(planned.direct).toEqual(unplanned.direct);
    expect(planned.edges).toEqual(unplanned.edges);
  });
});
