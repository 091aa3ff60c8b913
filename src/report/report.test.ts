import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { OrganizationModel } from '../model/organization.js';
import { escapeHtml, markdownText } from '../util/escape.js';
import { verifyModel } from '../verify/verify.js';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import { renderMarkdown } from './markdown.js';
import { renderSarif } from './sarif.js';
import { renderTerminal } from './terminal.js';

const model = JSON.parse(readFileSync(new URL('../verify/testdata/small-org.json', import.meta.url), 'utf8')) as OrganizationModel;
const report = verifyModel(model, { target: 'small-org.json' });
const at = new Date('2026-01-01T00:00:00Z');

describe('escaping', () => {
  it('escapes HTML specials and shows control characters as visible escapes', () => {
    expect(escapeHtml(`<a href="x">'&'</a>\u0001`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;\\x01');
  });
  it('escapes markdown table breakers; a newline shows as `\\n` instead of ending the row', () => {
    expect(markdownText('a|b\nc<d>\\')).toBe('a\\|b\\nc&lt;d&gt;\\\\');
  });
});

describe('renderers on a structural-only report', () => {
  it('terminal says the access analysis did not run', () => {
    const t = renderTerminal(report);
    expect(t).toContain('access analysis did not run');
    expect(t).toContain('fault.kitchen-sink');
  });
  it('json keeps every finding and the clock', () => {
    const j = JSON.parse(renderJson(report, at));
    expect(j.findings).toHaveLength(report.findings.length);
    expect(j.generatedAt).toBe('2026-01-01T00:00:00.000Z');
    expect(j.summary.accessAnalysis).toBe(false);
  });
  it('sarif maps severities to levels and indexes rules', () => {
    const s = JSON.parse(renderSarif(report, { artifactUri: 'small-org.json' }));
    const results = s.runs[0].results as { ruleId: string; ruleIndex: number; level: string; properties: { severity: string } }[];
    expect(results).toHaveLength(report.findings.length);
    for (const r of results) {
      expect(s.runs[0].tool.driver.rules[r.ruleIndex].id).toBe(r.ruleId);
      expect(r.level).toBe({ critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' }[r.properties.severity]);
    }
  });
  it('markdown and html render every finding', () => {
    const md = renderMarkdown(report, at);
    expect(md.match(/^### \[/gm)).toHaveLength(report.findings.length);
    const html = renderHtml(report, at);
    expect(html.match(/<div class="finding" id="f-/g)).toHaveLength(report.findings.length);
    expect(html).toContain("default-src 'none'");
  });
});

describe('renderers on an incomplete analysis', () => {
  const incomplete = {
    ...report,
    summary: {
      ...report.summary,
      incomplete: [
        { code: 'BH7101' as const, reason: 'role a/x policy inline:p could not be evaluated in full: statement 1 is left out', source: 'role a/x policy inline:p' },
        { code: 'BH7101' as const, reason: 'resource arn:aws:s3:::b policy could not be evaluated and is left out', source: 'resource arn:aws:s3:::b policy' },
      ],
    },
  };
  it('terminal, markdown and html say how many documents were left out', () => {
    expect(renderTerminal(incomplete)).toContain('analysis incomplete: 2 documents left out');
    expect(renderMarkdown(incomplete, at)).toContain('analysis incomplete: 2 documents left out');
    expect(renderHtml(incomplete, at)).toContain('analysis incomplete: 2 documents left out');
    expect(JSON.parse(renderJson(incomplete, at)).summary.incomplete).toHaveLength(2);
  });
  it('a complete analysis has no such line', () => {
    expect(report.summary.incomplete).toEqual([]);
    expect(renderTerminal(report)).not.toContain('analysis incomplete');
    expect(renderMarkdown(report, at)).not.toContain('analysis incomplete');
  });
});
