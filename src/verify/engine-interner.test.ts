import { describe, expect, it } from 'vitest';
import { GRANTS_MAX, Interner } from './engine-interner.js';
import type { StatementRef } from '../policy/index.js';

describe('the grant interner', () => {
  const ref = (statement: number): StatementRef => ({ policyKind: 'identity', policy: '\u0000identity policy 0:7', statement, effect: 'Allow' });

  it('keeps capability grants and lists across principals (forget drops only relabelled evidence)', () => {
    const intern = new Interner();
    const e = intern.ref(ref(0));
    const g = intern.grant('read-data', ['s3:GetObject'], [e]);
    const list = intern.list([g]);
    const relabelled = intern.relabel(e, 'role a/app policy inline:app');
    intern.forget(); // the next principal
    expect(intern.ref(ref(0))).toBe(e);
    expect(intern.grant('read-data', ['s3:GetObject'], [e])).toBe(g);
    expect(intern.list([g])).toBe(list);
    expect(intern.relabel(e, 'role a/app policy inline:app')).not.toBe(relabelled);
  });

  it(`forgets its grants and lists once it holds ${GRANTS_MAX} of them, and stays correct`, () => {
    const intern = new Interner();
    const e = intern.ref(ref(0));
    const g = intern.grant('read-data', ['s3:GetObject'], [e]);
    for (let i = 1; i < GRANTS_MAX; i++) intern.grant('read-data', [`s3:Action${i}`], [e]);
    // the bound is reached: the next grant starts afresh, with equal content
    const again = intern.grant('read-data', ['s3:GetObject'], [e]);
    expect(again).not.toBe(g);
    expect(again).toEqual(g);
    expect(intern.grant('read-data', ['s3:GetObject'], [e])).toBe(again);
  });
});
