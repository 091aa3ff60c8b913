/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The HTML report in a real browser (headless Debian chromium driven by playwright-core), one browser for the
 * file: it renders every account and finding, hostile names, tags and policies execute nothing, and at 300 and
 * 1,000 accounts the page stays short, never wider than the window, with every account reachable and a
 * working filter.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrganizationModel } from '../../src/model/organization.js';
import { renderHtml } from '../../src/report/html.js';
import { REPORT_SCRIPT_TAG } from '../../src/report/html-script.js';
import { denseReport } from './html-dense.js';
import { createEngineEvaluator } from '../../src/verify/engine-adapter.js';
import { verifyModel } from '../../src/verify/verify.js';
import { synthOrganization } from '../../src/synthetic/synth.js';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// Every payload tries to run code that sets window.__pwned or opens a dialog.
const XSS = [
  `<script>window.__pwned=1;alert(1)</script>`,
  `"><img src=x onerror="window.__pwned=2">`,
  `'</svg><script>window.__pwned=3</script><svg>`,
  `</title></text><foreignObject><iframe src="javascript:window.top.__pwned=4"></iframe></foreignObject>`,
];

function hostileModel(): OrganizationModel {
  const base = JSON.parse(readFileSync('src/verify/testdata/small-org.json', 'utf8')) as OrganizationModel;
  const rename = new Map(base.accounts.map((a, i) => [a.name, i === 0 ? a.name : `${a.name}${XSS[i % XSS.length]}`]));
  const n = (x: string) => rename.get(x) ?? x;
  return {
    ...base,
    organization: { ...base.organization, name: `tiny${XSS[0]}` },
    organizationalUnits: [...base.organizationalUnits, { path: `Root/Workloads/${XSS[1]}`, tags: {} }],
    accounts: base.accounts.map((a, i) => ({
      ...a,
      name: n(a.name),
      ...(i === 4 ? { ouPath: `Root/Workloads/${XSS[1]}` } : {}),
      tags: { ...a.tags, [`k${XSS[2]}`]: XSS[3]! },
    })),
    roles: base.roles.map((r, i) => ({
      ...r,
      account: n(r.account),
      name: i === 0 ? r.name : `${r.name}${XSS[i % XSS.length]}`,
      policies: r.policies.map((p) => ({ ...p, name: `${p.name}${XSS[0]}` })),
    })),
    resources: base.resources.map((r, i) => ({
      ...r,
      account: n(r.account),
      arn: i === 1 ? `${r.arn}${XSS[2]}` : r.arn,
      ...(r.policy !== undefined ? { policy: JSON.parse(JSON.stringify(r.policy).replace(/"Sid":"[^"]*"/, `"Sid":${JSON.stringify(XSS[1])}`)) } : {}),
    })),
    auditScopes: [{ name: `pci${XSS[0]}`, accounts: { account: [n('retail-prod')] } }],
  };
}

let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `chromium not found at ${CHROMIUM}: install it (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium) or set CHROMIUM_PATH`,
    );
  }
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
});
afterAll(async () => {
  await browser?.close();
});

async function open(html: string) {
  const dir = mkdtempSync(join(tmpdir(), 'bh-html-'));
  const file = join(dir, 'report.html');
  writeFileSync(file, html);
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const dialogs: string[] = [];
  const requests: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('request', (r) => {
    if (!r.url().startsWith('file:')) requests.push(r.url());
  });
  await page.goto(pathToFileURL(file).href);
  await page.waitForTimeout(200);
  return { page, dialogs, requests };
}

/** Accounts named in the page's organization section (tiles, shared accounts, OU tree). */
async function accountsInPage(page: Page): Promise<Set<string>> {
  return new Set(await page.locator('li.account').evaluateAll((els) => els.map((e) => e.getAttribute('data-account') ?? '')));
}

/** Findings the filter left visible (a closed group still counts its rows as visible: the filter opens them). */
async function visibleFindings(page: Page): Promise<string[]> {
  return page.locator('#findings .finding').evaluateAll((els) =>
    els.filter((e) => !(e as HTMLElement).hidden && !e.closest('[hidden]')).map((e) => e.getAttribute('data-q') ?? ''),
  );
}

describe('HTML report in chromium', () => {
  it('renders a small synthetic org: every account, every finding, the graph, the filter script runs', async () => {
    const model = synthOrganization({ accounts: 15, rolesPerAccount: 3, resourcesPerAccount: 4, violations: true });
    const report = verifyModel(model, { target: 'synth', evaluator: createEngineEvaluator() });
    const { page, requests } = await open(renderHtml(report, new Date('2026-01-01T00:00:00Z')));
    const names = await accountsInPage(page);
    for (const a of model.accounts) expect(names).toContain(a.name);
    // the business unit grid: one tile per business unit, one cell per declared phase, prod cells red
    const tile = page.locator('#bu-grid details.tile[data-bu="bu000"] summary .cell');
    expect(await tile.count()).toBe(3);
    expect(await tile.nth(2).evaluate((e) => getComputedStyle(e).backgroundColor)).toBe('rgb(225, 87, 89)');
    expect(await page.locator('#findings .finding').count()).toBe(report.findings.length);
    expect(await page.locator('#access-graph g.node').count()).toBeGreaterThan(0);
    expect(await page.locator('#matrix tr').count()).toBeGreaterThan(1);
    // the script ran (CSP hash accepted): unchecking a severity hides its findings
    await page.locator('#filter input[value="critical"]').uncheck();
    const critical = report.findings.filter((f) => f.severity === 'critical').length;
    expect(critical).toBeGreaterThan(0);
    expect(await page.locator('#filter-count').textContent()).toBe(String(report.findings.length - critical));
    expect(requests).toEqual([]);
    await page.close();
  });

  it('hostile names, tags and policies execute nothing and show as text', async () => {
    const model = hostileModel();
    const report = verifyModel(model, { target: `t${XSS[0]}`, evaluator: createEngineEvaluator() });
    const html = renderHtml(report, new Date('2026-01-01T00:00:00Z'));
    const { page, dialogs, requests } = await open(html);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
    expect(requests).toEqual([]);
    // no active content made it into the DOM: the one script is the report's own
    expect(await page.locator('iframe, img, foreignObject').count()).toBe(0);
    expect(await page.locator('script').evaluateAll((els) => els.map((e) => `<script>${e.textContent}</script>`))).toEqual([REPORT_SCRIPT_TAG]);
    const handlers = await page.evaluate(() =>
      [...document.querySelectorAll('*')].flatMap((e) => [...e.attributes].filter((a) => a.name.startsWith('on')).map((a) => a.name)),
    );
    expect(handlers).toEqual([]);
    // the payloads are shown literally, and every account is in the page
    const text = await page.locator('body').textContent();
    expect(text).toContain('<script>window.__pwned=1;alert(1)</script>');
    const names = await accountsInPage(page);
    for (const a of model.accounts) expect(names).toContain(a.name);
    // the filter matches hostile text as text
    await page.locator('#filter-text').fill(XSS[1]!.toLowerCase());
    for (const q of await visibleFindings(page)) expect(q).toContain(XSS[1]!.toLowerCase());
    // at most the access graph's svg: `</svg>` in data did not open or close one early
    expect(await page.locator('svg').count()).toBeLessThanOrEqual(1);
    await page.close();
  });

  it.each([300, 1000])('stays usable at %i accounts: bounded height, no horizontal overflow, every account reachable, the filter works', async (n) => {
    const model = synthOrganization({ accounts: n, rolesPerAccount: 2, resourcesPerAccount: 2, violations: true });
    const report = denseReport(verifyModel(model, { target: 'synth', evaluator: createEngineEvaluator() }));
    expect(report.findings.length).toBeGreaterThan(n);
    const { page, requests } = await open(renderHtml(report, new Date('2026-01-01T00:00:00Z')));
    const size = await page.evaluate(() => ({ height: document.documentElement.scrollHeight, width: document.documentElement.scrollWidth }));
    expect(size.height).toBeLessThan(15_000);
    expect(size.width).toBeLessThanOrEqual(1400);
    const names = await accountsInPage(page);
    for (const a of model.accounts) expect(names).toContain(a.name);
    // type a principal's name: only its findings stay visible, and their groups open
    const target = report.findings.find((f) => f.rule === 'boundary.cross-business-unit')!.principalName!;
    const expected = report.findings.filter((f) => (f.principalName ?? f.principal).toLowerCase().includes(target.toLowerCase()) || f.message.toLowerCase().includes(target.toLowerCase()));
    await page.locator('#filter-text').fill(target);
    const visible = await visibleFindings(page);
    expect(visible.length).toBe(expected.length);
    for (const q of visible) expect(q).toContain(target.toLowerCase());
    expect(await page.locator('#filter-count').textContent()).toBe(String(expected.length));
    expect(await page.locator('#findings details.fgroup.principal[open]').count()).toBeGreaterThan(0);
    // with every drill-down open, and in a narrower window, the page grows down but never sideways
    await page.evaluate(() => document.querySelectorAll('details').forEach((d) => ((d as HTMLDetailsElement).open = true)));
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1400);
    await page.setViewportSize({ width: 1024, height: 900 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1024);
    expect(requests).toEqual([]);
    await page.close();
  }, 120_000);
});
