/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The HTML report in a real browser (headless Debian chromium driven by playwright-core): it renders, the
 * diagram shows every account, and hostile names, tags and policies execute nothing.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrganizationModel } from '../../src/model/organization.js';
import { renderHtml } from '../../src/report/html.js';
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

describe('HTML report in chromium', () => {
  it('renders a synthetic org: the diagram shows every account', async () => {
    const model = synthOrganization({ accounts: 20, rolesPerAccount: 3, resourcesPerAccount: 4, violations: true });
    const report = verifyModel(model, { target: 'synth', evaluator: createEngineEvaluator() });
    const { page, requests } = await open(renderHtml(report, new Date('2026-01-01T00:00:00Z')));
    const box = await page.locator('#org-diagram').boundingBox();
    expect(box!.width).toBeGreaterThan(300);
    expect(box!.height).toBeGreaterThan(200);
    const inGrid = await page.locator('#org-diagram g.account').evaluateAll((els) => els.map((e) => e.getAttribute('data-account')));
    const inTree = await page.locator('#org-diagram g.tree-account text').allTextContents();
    for (const a of model.accounts) {
      expect(inGrid).toContain(a.name);
      expect(inTree).toContain(a.name);
    }
    // the runtime grid has business units × phases; prod boxes are red
    const prodFill = await page.locator('#org-diagram g.account[data-account="bu000-prod"] rect').getAttribute('fill');
    expect(prodFill).toBe('#e15759');
    expect(await page.locator('#findings tr').count()).toBe(report.findings.length + 1);
    expect(await page.locator('#assume-graph g.node').count()).toBeGreaterThan(0);
    expect(await page.locator('#matrix tr').count()).toBeGreaterThan(1);
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
    // no active content made it into the DOM
    expect(await page.locator('script, iframe, img, foreignObject').count()).toBe(0);
    const handlers = await page.evaluate(() =>
      [...document.querySelectorAll('*')].flatMap((e) => [...e.attributes].filter((a) => a.name.startsWith('on')).map((a) => a.name)),
    );
    expect(handlers).toEqual([]);
    // the payloads are shown literally, and every account is in the diagram
    const text = await page.locator('body').innerText();
    expect(text).toContain('<script>window.__pwned=1;alert(1)</script>');
    const inGrid = await page.locator('#org-diagram g.account').evaluateAll((els) => els.map((e) => e.getAttribute('data-account')));
    for (const a of model.accounts) expect(inGrid).toContain(a.name);
    // one svg for the diagram and one for the assumption graph: `</svg>` in data did not close them early
    expect(await page.locator('svg').count()).toBe(report.view.assumeEdges.length > 0 ? 2 : 1);
    await page.close();
  });
});
