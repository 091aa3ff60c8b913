/**
 * docs/ci.md cannot rot: every `bulkhead` line of its shell blocks is run here against fixtures (a git repository
 * whose pull request adds a dev → prod trust edge, a policy that gains an action, a two-entry snapshot history),
 * and every `bulkhead` line of its GitHub Actions blocks must be one of them (same command and options).
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../test-support/cli.js';
import { readSnapshotFiles } from '../io/snapshot-files.js';
import { writeHistoryEntry } from '../io/history.js';

const doc = readFileSync('docs/ci.md', 'utf8');

/** The lines starting with `bulkhead ` in the fenced blocks of one language. */
function commandsIn(lang: string): string[] {
  const out: string[] = [];
  let inBlock = false;
  for (const line of doc.split('\n')) {
    if (line.startsWith('```')) {
      inBlock = !inBlock && line === `\`\`\`${lang}`;
      continue;
    }
    if (!inBlock) continue;
    const at = line.indexOf('bulkhead ');
    const lead = line.slice(0, at).trim();
    if (at >= 0 && (lang === 'sh' ? at === 0 : lead === '' || lead.endsWith('run:'))) out.push(line.slice(at).trim());
  }
  return out;
}

/** Subcommand and options of a command line (what must exist), e.g. `diff --format -o --fail-on`. */
function shape(line: string): string {
  const words = line.split(/\s+/);
  return [words[1], ...words.filter((w) => w.startsWith('-') && w !== '-').sort()].join(' ');
}

const shell = commandsIn('sh');
const cwd = mkdtempSync(join(tmpdir(), 'bulkhead-ci-'));
const vars = new Map<string, string>([['$YESTERDAY', '2026-11-30']]);
const policy = (actions: string[]) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }] });

beforeAll(async () => {
  const git = (...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();
  git('init', '-q');
  git('config', 'user.email', 'ci@example.com');
  git('config', 'user.name', 'ci');
  copyFileSync('src/delta/testdata/base.yaml', join(cwd, 'spec.yaml'));
  mkdirSync(join(cwd, 'policies'));
  writeFileSync(join(cwd, 'policies', 'app.json'), policy(['s3:GetObject']));
  git('add', '.');
  git('commit', '-qm', 'base');
  vars.set('$BASE', git('rev-parse', 'HEAD'));
  // the pull request: a new trust edge, and a policy that gains an action
  copyFileSync('src/delta/testdata/trust.yaml', join(cwd, 'spec.yaml'));
  writeFileSync(join(cwd, 'base-app.json'), git('show', 'HEAD:policies/app.json'));
  writeFileSync(join(cwd, 'policies', 'app.json'), policy(['s3:GetObject', 's3:DeleteObject']));
  // the nightly: a history with yesterday's and today's entries (collect itself needs AWS: see below)
  for (const [dir, at] of [['examples/violations/prod-bucket-grants-dev', '2026-11-30T03:17:00Z'], ['examples/violations/prod-bucket-made-public', '2026-12-01T03:17:00Z']] as const) {
    const files = await readSnapshotFiles(dir);
    if (!files.ok) throw new Error(`fixture ${dir} unreadable`);
    const w = await writeHistoryEntry(join(cwd, 'history'), files.value, new Date(at));
    if (!w.ok) throw new Error(w.diagnostics.map((d) => d.message).join('\n'));
  }
  writeFileSync(join(cwd, 'exclusions.yaml'), 'exclusions:\n  - rule: boundary.*\n    reason: accepted\n    owner: platform\n    expires: 2027-01-31\n');
  const baseline = await runCli(['verify', 'history@latest', '--spec', 'spec.yaml', '--format', 'json', '-o', 'baseline.json'], { cwd });
  if (baseline.code === 1 || baseline.code === 2) throw new Error(baseline.stderr);
});

describe('docs/ci.md', () => {
  it('has the recipe commands', () => {
    expect(shell.map((l) => l.split(' ')[1])).toEqual(['plan', 'diff', 'diff', 'diff', 'check', 'collect', 'drift', 'diff', 'verify']);
  });

  for (const line of shell) {
    it(`runs: ${line}`, async () => {
      const words = line.split(/\s+/).slice(1).map((w) => {
        for (const [k, v] of vars) w = w.replaceAll(k, v);
        return w;
      });
      if (words[0] === 'collect') {
        // needs AWS: collect --history runs against moto in collect-history.aws.test.ts; here its options must parse
        const r = await runCli([...words, '--endpoint-url', 'http://127.0.0.1:9'], { cwd, env: { AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x', AWS_REGION: 'us-east-1' } });
        expect([r.code, r.stderr]).toEqual([1, expect.stringContaining('127.0.0.1:9')]);
        return;
      }
      const r = await runCli(words, { cwd, now: new Date('2026-12-01T06:00:00Z') });
      expect(r.stderr).not.toMatch(/error BH|unknown option|internal error/);
      // the pull request opens access (diff gate, check) → 3; reports with --fail-on none → 0
      const expected = words.includes('none') || words[0] === 'plan' ? [0] : words[0] === 'verify' ? [0, 3] : [3];
      expect(expected, `${line}: exit ${r.code}\n${r.stderr}`).toContain(r.code);
      const out = words.indexOf('-o');
      if (out >= 0) expect(existsSync(join(cwd, words[out + 1]!))).toBe(true);
    }, 60_000);
  }

  it('the markdown comment names the new trust edge, the SARIF is SARIF', () => {
    expect(readFileSync(join(cwd, 'delta.md'), 'utf8')).toMatch(/^### bulkhead diff: spec\.yaml@[0-9a-f]+/);
    expect((JSON.parse(readFileSync(join(cwd, 'delta.sarif'), 'utf8')) as { version: string }).version).toBe('2.1.0');
    const v = JSON.parse(readFileSync(join(cwd, 'verify.sarif'), 'utf8')) as { runs: { properties?: { gate?: { baseline?: unknown; exclusions?: unknown } } }[] };
    expect(Object.keys(v.runs[0]!.properties?.gate ?? {}).sort()).toEqual(['baseline', 'exclusions']);
  });

  it('the workflows run only the commands of the shell recipe', () => {
    const shapes = new Set(shell.map(shape));
    const yaml = commandsIn('yaml').map((l) => l.replace(/ \|\| status=\$\?$/, ''));
    expect(yaml.length).toBeGreaterThanOrEqual(shell.length);
    for (const l of yaml) expect(shapes, l).toContain(shape(l));
  });
});
