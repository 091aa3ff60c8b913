import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSerialiseError, MESSAGE_VALUE_MAX, MESSAGE_VALUE_START, messageValue, quotedMessageValue } from './message-value.js';

describe('messageValue', () => {
  it('shows a string as it is and anything else as JSON', () => {
    expect(messageValue('s3:GetObject')).toBe('s3:GetObject');
    expect(messageValue('')).toBe('');
    expect(messageValue(7)).toBe('7');
    expect(messageValue(null)).toBe('null');
    expect(messageValue(true)).toBe('true');
    expect(messageValue(['a', 1])).toBe('["a",1]');
    expect(messageValue({ Effect: 'Allow' })).toBe('{"Effect":"Allow"}');
  });

  it('says `nothing` for a missing value', () => {
    expect(messageValue(undefined)).toBe('nothing');
  });

  it('shows a value of up to the maximum whole, and a longer one as its start and its length', () => {
    expect(messageValue('x'.repeat(MESSAGE_VALUE_MAX))).toBe('x'.repeat(MESSAGE_VALUE_MAX));
    expect(messageValue('x'.repeat(MESSAGE_VALUE_MAX + 1))).toBe(`${'x'.repeat(MESSAGE_VALUE_START)}…(${MESSAGE_VALUE_MAX + 1} characters)`);
    expect(messageValue('y'.repeat(5_000_000))).toBe(`${'y'.repeat(40)}…(5000000 characters)`);
    expect(messageValue(Array.from({ length: 100 }, (_, i) => i))).toBe('[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,1…(291 characters)');
  });

  it('counts characters outside the BMP once and never splits one', () => {
    const emoji = '😀'.repeat(MESSAGE_VALUE_MAX); // 128 UTF-16 code units, 64 characters
    expect(messageValue(emoji)).toBe(emoji);
    const long = 'a' + '😀'.repeat(MESSAGE_VALUE_MAX);
    expect(messageValue(long)).toBe(`a${'😀'.repeat(MESSAGE_VALUE_START - 1)}…(${MESSAGE_VALUE_MAX + 1} characters)`);
  });

  it('never throws on a cyclic, very deep or BigInt value', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic['self'] = cyclic;
    expect(messageValue(cyclic)).toBe('{...}');
    const list: unknown[] = [];
    list.push(list);
    expect(messageValue(list)).toBe('[...]');
    let deep: unknown[] = [];
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(messageValue(deep)).toBe('[...]');
    expect(messageValue(10n)).toBe('10');
  });

  it('never throws and stays short for any value', () => {
    fc.assert(
      fc.property(fc.anything({ withBigInt: true, withNullPrototype: true, withSparseArray: true }), (v) => {
        const shown = messageValue(v);
        expect(shown.length).toBeLessThanOrEqual(2 * MESSAGE_VALUE_MAX);
      }),
    );
  });

  it('does not escape: that is left to the writer of the message (escapeText)', () => {
    expect(messageValue('a\nb\u001b[31m')).toBe('a\nb\u001b[31m');
  });
});

describe('quotedMessageValue', () => {
  it('puts the value in backticks, but not a missing one', () => {
    expect(quotedMessageValue(7)).toBe('`7`');
    expect(quotedMessageValue('abc')).toBe('`abc`');
    expect(quotedMessageValue(undefined)).toBe('nothing');
  });
});

describe('isSerialiseError', () => {
  it('is true for what JSON.stringify throws and false for other errors', () => {
    expect(isSerialiseError(new TypeError('cyclic'))).toBe(true);
    expect(isSerialiseError(new RangeError('deep'))).toBe(true);
    expect(isSerialiseError(new Error('bug'))).toBe(false);
  });
});
