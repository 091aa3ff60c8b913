import { describe, expect, it } from 'vitest';
import { escapeString, h, renderBlocks } from './hcl.js';

describe('escapeString', () => {
  it('escapes quotes, backslashes, control characters and template openers, and nothing else', () => {
    expect(escapeString('a"b\\c')).toBe('a\\"b\\\\c');
    expect(escapeString('x\ny\tz\r')).toBe('x\\ny\\tz\\r');
    expect(escapeString('${aws:username} %{if} $x %y {}')).toBe('$${aws:username} %%{if} $x %y {}');
    expect(escapeString('\u0001')).toBe('\\u0001');
    expect(escapeString("O'Brien & Søn")).toBe("O'Brien & Søn");
  });
});

describe('renderBlocks', () => {
  it('aligns the = of consecutive one-line attributes and quotes keys that are not identifiers', () => {
    const text = renderBlocks([
      h.block('resource', ['aws_x', 'y'], [
        h.attr('name', h.str('n')),
        h.attr('description', h.str('d')),
        h.attr('tags', h.obj([['Owner', h.str('o')], ['aws:cost', h.str('c')], ['1st', h.str('1')]])),
        h.blank(),
        h.attr('depends_on', h.list([h.raw('aws_z.w')])),
      ]),
    ]);
    expect(text).toBe(
      [
        'resource "aws_x" "y" {',
        '  name        = "n"',
        '  description = "d"',
        '  tags = {',
        '    Owner      = "o"',
        '    "aws:cost" = "c"',
        '    "1st"      = "1"',
        '  }',
        '',
        '  depends_on = [aws_z.w]',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('interpolates references in templates while escaping the literal parts', () => {
    const text = renderBlocks([h.block('locals', [], [h.attr('arn', h.tpl('arn:${x}:"', { ref: 'aws_a.b.id' }, ':root'))])]);
    expect(text).toBe('locals {\n  arn = "arn:$${x}:\\"${aws_a.b.id}:root"\n}\n');
  });
});
