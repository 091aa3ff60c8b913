import { describe, expect, it } from 'vitest';
import type { CapabilityGrant } from './engine-port.js';
import { directEntries, directGrants, EMPTY_ROW, type DirectRow } from './graph.js';

const grant = (capability: CapabilityGrant['capability']): CapabilityGrant[] => [{ capability, actions: [], evidence: [] }];

describe('compact direct-access rows', () => {
  const row: DirectRow = { resources: [2, 5, 9, 40], grants: [grant('read-data'), grant('write-data'), grant('read-data'), grant('administer-resource')] };

  it('finds the grants of every resource in the row and none of the others', () => {
    for (const [i, ri] of row.resources.entries()) expect(directGrants(row, ri)).toBe(row.grants[i]);
    for (const ri of [0, 1, 3, 6, 10, 39, 41]) expect(directGrants(row, ri)).toBeUndefined();
    expect(directGrants(EMPTY_ROW, 2)).toBeUndefined();
    expect(directGrants(undefined, 2)).toBeUndefined();
  });

  it('lists the pairs in resource order', () => {
    expect(directEntries(row)).toEqual([
      { resource: 2, grants: row.grants[0] },
      { resource: 5, grants: row.grants[1] },
      { resource: 9, grants: row.grants[2] },
      { resource: 40, grants: row.grants[3] },
    ]);
    expect(directEntries(undefined)).toEqual([]);
  });
});
