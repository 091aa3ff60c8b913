/** flat / flattenStrings: memory hints that never change a value. */
import { describe, expect, it } from 'vitest';
import { flat, flattenStrings } from './flat-string.js';

describe('flat strings', () => {
  it('returns the same string value, empty included', () => {
    const parts = ['arn:aws:s3:::', 'bucket', '-', String(42)];
    const built = `${parts[0]}${parts[1]}${parts[2]}${parts[3]}`;
    expect(flat(built)).toBe('arn:aws:s3:::bucket-42');
    expect(flat('')).toBe('');
  });

  it('walks arrays and objects, shared and cyclic ones included, and changes nothing', () => {
    const shared = { Effect: 'Allow', Action: ['s3:GetObject', `s3:${'Put'}Object`] };
    const model: Record<string, unknown> = { roles: [{ name: `r${1}`, doc: shared }, { name: 'r2', doc: shared, n: 3, ok: true, none: null }] };
    model['self'] = model;
    const before = JSON.stringify({ ...model, self: undefined });
    flattenStrings(model);
    expect(JSON.stringify({ ...model, self: undefined })).toBe(before);
    expect(model['self']).toBe(model);
    expect(() => flattenStrings(undefined)).not.toThrow();
  });
});
