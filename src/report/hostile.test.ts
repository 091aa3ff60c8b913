/**
 * Every verify report format and the plan tree with hostile names: HTML, backticks, pipes, newlines, ESC and
 * bidi overrides in the organization, account, OU, role and scope names. None may forge a line, a heading, a
 * table row, a code span or markup, and none may carry a raw control character.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { OrganizationModel } from '../model/organization.js';
import { verifyModel } from '../verify/verify.js';
import { renderHtml } from './html.js';
import { REPORT_SCRIPT_TAG } from './html-script.js';
import { renderJson } from './json.js';
import { renderMarkdown } from './markdown.js';
import { renderPlanText } from './plan-text.js';
import { renderSarif } from './sarif.js';
import { renderTerminal } from './terminal.js';

const FORGE = '\n# forged\n| x | y |\n\u001b[2J\u202eevil';
const HOSTILE = `<script>alert(1)</script> a\`b|c${FORGE}`;
/** An OU name cannot hold `/` (it separates the path). */
const OU = `ou<script>a\`b|c${FORGE}`;
/** Raw characters no report may contain (the newline is allowed only as the report's own line break). */
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

function hostileModel(): OrganizationModel {
  const base = JSON.parse(readFileSync(new URL('../verify/testdata/small-org.json', import.meta.url), 'utf8')) as OrganizationModel;
  const n = (x: string) => (x === 'mgmt' ? x : `${x}${HOSTILE}`);
  return {
    ...base,
    organization: { ...base.organization, name: `tiny${HOSTILE}` },
    organizationalUnits: [...base.organizationalUnits, { path: `Root/Workloads/${OU}`, tags: {} }],
    accounts: base.accounts.map((a, i) => ({ ...a, name: n(a.name), ...(i === 4 ? { ouPath: `Root/Workloads/${OU}` } : {}) })),
    roles: base.roles.map((r) => ({ ...r, account: n(r.account), name: `${r.name}${HOSTILE}` })),
    resources: base.resources.map((r) => ({ ...r, account: n(r.account) })),
    auditScopes: [{ name: `pci${HOSTILE}`, accounts: { account: [n('retail-prod')] } }],
  };
}

const model = hostileModel();
const report = verifyModel(model, { target: `target${HOSTILE}` });
const at = new Date('2026-01-01T00:00:00Z');

describe('hostile names in every format', () => {
  it('the report has findings naming the hostile accounts (so the test exercises them)', () => {
    expect(report.findings.some((f) => f.account.includes(FORGE))).toBe(true);
  });
  it('terminal: no raw control character, no forged line', () => {
    const t = renderTerminal(report, { top: 100 });
    expect(t).not.toMatch(RAW);
    expect(t.split('\n').filter((l) => l.startsWith('# forged') || l.startsWith('| x'))).toEqual([]);
    expect(t).toContain('tiny<script>alert(1)</script> a`b|c\\n# forged\\n| x | y |\\n\\x1b[2J\\u202eevil');
  });
  it('markdown: no HTML, no forged heading or table row, code spans survive backticks', () => {
    const md = renderMarkdown(report, at);
    expect(md).not.toMatch(RAW);
    // `<script>` may only appear inside code spans (which render it as text)
    const outsideCode = md.replace(/(`+)(?!`).*?(?<!`)\1(?!`)/g, '');
    expect(outsideCode).not.toMatch(/<script/i);
    expect(outsideCode).toContain('&lt;script&gt;');
    expect(md.split('\n').filter((l) => /^#+ forged|^\| x/.test(l))).toEqual([]);
    expect(md).toContain('# bulkhead verify: tiny&lt;script&gt;alert(1)&lt;/script&gt; a\\`b\\|c\\n\\# forged');
    // the target contains one backtick: fenced with two, and closed by two
    expect(md).toContain('Target ``target<script>alert(1)</script> a`b|c\\n# forged\\n| x | y |\\n\\x1b[2J\\u202eevil`` (');
    // in table cells a pipe inside a code span is escaped, so every attribution row keeps its five columns
    for (const row of md.split('\n').filter((l) => l.startsWith('| ') && l.includes('retail-prod'))) {
      expect(row.split(/(?<!\\)\|/).length).toBeGreaterThanOrEqual(5);
    }
  });
  it('html: no raw markup or control character from a name', () => {
    const full = renderHtml(report, at);
    // the report's own filter script, exactly once; nothing else may look like a script
    expect(full.split(REPORT_SCRIPT_TAG)).toHaveLength(2);
    const html = full.replace(REPORT_SCRIPT_TAG, '');
    expect(html).not.toMatch(RAW);
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('tiny&lt;script&gt;alert(1)&lt;/script&gt; a`b|c\\n# forged');
  });
  it('json and sarif: values raw after parsing, no raw control character in the text', () => {
    const json = renderJson(report, at);
    expect(json).not.toMatch(RAW);
    expect(JSON.parse(json).summary.organization).toBe(`tiny${HOSTILE}`);
    const sarif = renderSarif(report, { artifactUri: 'x' });
    expect(sarif).not.toMatch(RAW);
    const results = JSON.parse(sarif).runs[0].results as { message: { text: string } }[];
    expect(results.some((r) => r.message.text.includes(FORGE))).toBe(true);
  });
  it('plan tree: a newline in an OU or account name does not add a line to the tree', () => {
    const plain = { ...model, roles: [], serviceControlPolicies: [], boundaries: [], auditScopes: [] };
    const text = renderPlanText(plain);
    expect(text).not.toMatch(RAW);
    const lines = text.split('\n');
    expect(lines.filter((l) => /^(# forged|\| x)/.test(l.replace(/^[│├└─ ]+/, '')))).toEqual([]);
    expect(lines).toContain('    └── ou<script>a`b|c\\n# forged\\n| x | y |\\n\\x1b[2J\\u202eevil/');
    // one line per account and OU, as with plain names
    const names = renderPlanText({ ...plain, organization: { ...plain.organization, name: 'tiny' }, organizationalUnits: plain.organizationalUnits.map((o) => ({ ...o, path: o.path.replace(OU, 'ou') })), accounts: plain.accounts.map((a) => ({ ...a, name: a.name.replace(HOSTILE, ''), ouPath: a.ouPath.replace(OU, 'ou') })) });
    expect(lines).toHaveLength(names.split('\n').length);
  });
});
