import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeHtml, escapeJson, escapeText, markdownCode, markdownText, UNSAFE_CHARACTERS } from './escape.js';

/** Strings biased towards the characters that forge output, mixed with arbitrary code points. */
const SPECIALS = ['\n', '\r', '\t', '\u001b', '\u001b[31m', '\u0000', '\u007f', '\u0085', '\u009b', '\u2028', '\u2029', '\u202a', '\u202e', '\u2066', '\u2069', '\u200e', '\u061c', '`', '``', '|', '<', '>', '&', '"', "'", '\\', '#', '-', '*', '_', '[', ']', ' '];
const hostile = fc
  .array(fc.oneof(fc.constantFrom(...SPECIALS), fc.string({ unit: 'binary', maxLength: 4 })), { maxLength: 12 })
  .map((parts) => parts.join(''));

const unsafe = (s: string): boolean => new RegExp(UNSAFE_CHARACTERS.source).test(s);

describe('escapeText', () => {
  it('shows controls, DEL, C1 and bidi characters as visible escapes', () => {
    expect(escapeText('a\nb\r\tc')).toBe('a\\nb\\r\\tc');
    expect(escapeText('\u001b[31mred\u001b[0m')).toBe('\\x1b[31mred\\x1b[0m');
    expect(escapeText('\u0000\u007f\u0085\u009b')).toBe('\\0\\x7f\\x85\\x9b');
    expect(escapeText('abc\u202edef\u2066x\u2069')).toBe('abc\\u202edef\\u2066x\\u2069');
    expect(escapeText('line\u2028sep')).toBe('line\\u2028sep');
  });
  it('leaves ordinary text, backslashes and non-Latin letters alone', () => {
    expect(escapeText('retail-dev ü 東京 `x` C:\\dir')).toBe('retail-dev ü 東京 `x` C:\\dir');
  });
  it('property: the output has no unsafe character and is one line', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        const out = escapeText(s);
        expect(unsafe(out)).toBe(false);
        expect(out.split(/\r\n|\r|\n|\u2028|\u2029|\u0085/)).toHaveLength(1);
      }),
    );
  });
});

describe('markdownText', () => {
  it('neutralises HTML, headings, tables, emphasis, links and code', () => {
    expect(markdownText('<script>alert(1)</script>')).toBe('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(markdownText('# forged')).toBe('\\# forged');
    expect(markdownText('a|b')).toBe('a\\|b');
    expect(markdownText('*x* _y_ [l](u) `c` ~~s~~')).toBe('\\*x\\* \\_y\\_ \\[l\\](u) \\`c\\` \\~\\~s\\~\\~');
    expect(markdownText('- item')).toBe('\\- item');
    expect(markdownText('1. item')).toBe('1\\. item');
    expect(markdownText('a\n# forged')).toBe('a\\n\\# forged');
    expect(markdownText('&lt;')).toBe('&amp;lt;');
  });
  it('property: no unsafe character, no raw `|`, `<`, `>`, and every backtick escaped', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        const out = markdownText(s);
        expect(unsafe(out)).toBe(false);
        expect(out).not.toMatch(/[<>]/);
        // every `|` and backtick is preceded by an odd number of backslashes
        for (const m of out.matchAll(/(\\*)[|`]/g)) expect(m[1]!.length % 2).toBe(1);
      }),
    );
  });
});

describe('markdownCode', () => {
  it('fences with one backtick more than the longest run, padding where needed', () => {
    expect(markdownCode('plain')).toBe('`plain`');
    expect(markdownCode('a`b')).toBe('``a`b``');
    expect(markdownCode('``x')).toBe('``` ``x ```');
    expect(markdownCode('')).toBe('` `');
    expect(markdownCode('a|b')).toBe('`a|b`');
    expect(markdownCode('a|b', { inTable: true })).toBe('`a\\|b`');
    expect(markdownCode('x\ny')).toBe('`x\\ny`');
  });
  it('property: one code span whose fence no run inside can close', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        const out = markdownCode(s);
        expect(unsafe(out)).toBe(false);
        const fence = /^`+/.exec(out)![0];
        expect(out.endsWith(fence)).toBe(true);
        const inner = out.slice(fence.length, out.length - fence.length);
        for (const run of inner.match(/`+/g) ?? []) expect(run.length).not.toBe(fence.length);
      }),
    );
  });
});

describe('escapeHtml', () => {
  it('escapes the five specials and shows controls', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(escapeHtml('a\u202eb\u001bc\n')).toBe('a\\u202eb\\x1bc\\n');
  });
  it('property: no unsafe character, no raw specials, `&` only as an entity', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        const out = escapeHtml(s);
        expect(unsafe(out)).toBe(false);
        expect(out).not.toMatch(/[<>"']/);
        expect(out.replace(/&(amp|lt|gt|quot|#39);/g, '')).not.toContain('&');
      }),
    );
  });
});

describe('escapeJson', () => {
  it('property: the same value back, and no unsafe character in the text', () => {
    fc.assert(
      fc.property(fc.dictionary(hostile, hostile, { maxKeys: 4 }), (value) => {
        const out = escapeJson(JSON.stringify(value));
        expect(unsafe(out)).toBe(false);
        expect(JSON.parse(out)).toEqual(value);
        const pretty = escapeJson(JSON.stringify(value, null, 2));
        expect(JSON.parse(pretty)).toEqual(value);
      }),
    );
  });
});
