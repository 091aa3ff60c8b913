/**
 * Values echoed by the CLI reach the terminal escaped: a value holding a newline, an ESC sequence and a bidi
 * override stays on its line and carries no raw control character. One test per place that prints such a value,
 * and a scan of the CLI sources for writes that bypass the escapers.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { memoryIo, runCli } from '../../test-support/cli.js';
import { cliHost } from './host.js';
import { commanderError } from './main.js';
import { printCollectSummary } from './commands/collect-action.js';
import { printWarnings } from './commands/verify-action.js';
import { UNSAFE_CHARACTERS } from '../util/escape.js';

/** A newline, an ESC colour sequence and a right-to-left override. */
const HOSTILE = 'evil\nforged line\x1b[31mred\u202etxt';

/** The text has no raw unsafe character and exactly `lines` newlines (one per line written). */
function expectSafe(text: string, lines = 1): void {
  expect(text.match(new RegExp(UNSAFE_CHARACTERS.source, 'g'))?.filter((c) => c !== '\n') ?? []).toEqual([]);
  expect(text.split('\n').length - 1).toBe(lines);
  expect(text).toContain('\\n');
  expect(text).toContain('\\x1b');
  expect(text).toContain('\\u202e');
}

describe('CLI output escaping', () => {
  it('host notes and progress lines', () => {
    const m = memoryIo();
    cliHost(m.io).report({ kind: 'note', operation: 'collect', message: HOSTILE });
    expectSafe(m.err.join(''));
    const tty = memoryIo();
    const host = cliHost({ ...tty.io, isTty: true });
    host.report({ kind: 'progress', operation: 'verify', message: HOSTILE });
    // the progress line's own `\r\x1b[2K` prefix is the only escape sequence
    const progress = tty.err.join('').replace(/^\r\x1b\[2K/, '');
    expect(progress).not.toMatch(new RegExp(UNSAFE_CHARACTERS.source));
    expect(progress).toContain('\\x1b');
  });

  it('usage errors (`error: …`)', async () => {
    const run = await runCli(['init', '--name', HOSTILE]);
    expect(run.code).toBe(2);
    expectSafe(run.stderr);
  });

  it("commander's errors, keeping its own `(Did you mean …?)` line", async () => {
    const run = await runCli(['plan', `--bogus${HOSTILE}`]);
    expect(run.code).toBe(2);
    const [error] = run.stderr.split('(run `bulkhead help');
    expectSafe(error!);
    expect(commanderError("error: unknown option '--formt'\n(Did you mean --format?)\n")).toBe("error: unknown option '--formt'\n(Did you mean --format?)\n");
  });

  it('collect: the summary line and the per-account warning lines', () => {
    const snapshot = {
      manifest: {
        organization: { id: 'o-abc' },
        counts: { accounts: 2, accountsCollected: 1, accountsFailed: 1, roles: 0, users: 0, resources: 0 },
        errors: [{ accountId: '111111111111', accountName: HOSTILE, stage: 'iam', message: HOSTILE }],
      },
    };
    const m = memoryIo();
    const outcome = { snapshot, calls: 1, retries: 0, seconds: 1 } as unknown as Parameters<typeof printCollectSummary>[2];
    printCollectSummary({ ...m.io, isTty: true }, HOSTILE, outcome);
    expectSafe(m.out.join(''));
    expect(m.err.join('')).toMatch(/^warning: /);
    expect(m.err.join('').split('\n').length - 1).toBe(1);
    expect(m.err.join('').replaceAll('\n', '')).not.toMatch(new RegExp(UNSAFE_CHARACTERS.source));
    const json = memoryIo();
    printCollectSummary(json.io, HOSTILE, outcome);
    expect(json.out.join('')).not.toMatch(/[\u202e\x1b]/);
    expect(JSON.parse(json.out.join('')).errors[0].accountName).toBe(HOSTILE);
  });

  it('verify: report warnings', () => {
    const m = memoryIo();
    printWarnings(m.io, [HOSTILE]);
    expectSafe(m.err.join(''));
  });

  it('capabilities: actions given on the command line', async () => {
    const run = await runCli(['capabilities', 's3:GetObject', `s3:Get${HOSTILE}`]);
    expect(run.stdout).toMatch(/^ACTION/);
    expect(run.stdout).not.toMatch(new RegExp(UNSAFE_CHARACTERS.source.replace('\\u0000-\\u001f', '\\u0000-\\u0009\\u000b-\\u001f')));
    expect(run.stderr.split('\n').filter((l) => l.includes('evil'))).toHaveLength(1);
    expect(run.stderr.replaceAll('\n', '')).not.toMatch(new RegExp(UNSAFE_CHARACTERS.source));
  });

  it('simulate --batch: a bidi override or line separator echoed in a result line is written as a \\u escape', async () => {
    const line = JSON.stringify({ identityPolicies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }], request: { principal: 'arn:aws:iam::111122223333:role/a', action: 's3:GetObject', resource: 'arn:aws:s3:::b/k', context: { 'aws:PrincipalTag/x': 'a\u202eb\u2028c' } }, 'bogus\u202e': 1 });
    const run = await runCli(['simulate', '--batch'], { stdin: `${line}\n` });
    expect(run.stdout.split('\n').filter((l) => l !== '')).toHaveLength(1);
    expect(run.stdout).not.toMatch(/[\u202e\u2028]/);
    expect(run.stdout).toContain('\\u202e');
  });

  it('init: the file written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bulkhead-escape-'));
    try {
      const run = await runCli(['init', '--name', 'acme', '--out', join(dir, `${HOSTILE}.yaml`)]);
      expect(run.code).toBe(0);
      expectSafe(run.stdout);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** The CLI sources (not tests), relative to src/cli. */
function cliSources(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? cliSources(join(dir, e.name), `${prefix}${e.name}/`) : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [`${prefix}${e.name}`] : [],
  );
}

/** Files not checked yet (none: every CLI file is scanned). */
const NOT_YET_CHECKED = new Set<string>();

/** The argument text of each `io.stdout(…)` / `io.stderr(…)` call in `source` (balanced parentheses). */
function writeArguments(source: string): string[] {
  const args: string[] = [];
  for (const m of source.matchAll(/\bio\.std(?:out|err)\(/g)) {
    let depth = 1;
    let i = m.index + m[0].length;
    const start = i;
    for (; i < source.length && depth > 0; i++) {
      if (source[i] === '(') depth++;
      else if (source[i] === ')') depth--;
    }
    args.push(source.slice(start, i - 1).trim());
  }
  return args;
}

/**
 * A write is safe when its argument is a literal without interpolation, goes through `escapedLine`/`jsonLine`,
 * interpolates only escaper calls, or is one of the renderers that escape every value themselves.
 */
const SAFE_RENDERED = /^(renderChangeSet\(|renderTerminal\(|renderPlanText\(|text$|stage === 'create-organization' \? '[^'$`]*' : renderChangeSet\()/;
function safeWrite(arg: string): boolean {
  if (/^'[^']*'$/.test(arg)) return true;
  if (/^(escapedLine|jsonLine)\(/.test(arg) || /^[\w.]+\.map\((escapedLine|jsonLine)\)\.join\(''\)$/.test(arg)) return true;
  if (/^`[^`]*`$/.test(arg)) return [...arg.matchAll(/\$\{/g)].every((m) => /^\$\{(escapeText|escapeJson|formatDiagnostic)\(/.test(arg.slice(m.index)));
  if (/^opts\.format === 'json' \? /.test(arg)) return safeWrite(arg.slice(arg.indexOf('? ') + 2, arg.lastIndexOf(' : '))) && safeWrite(arg.slice(arg.lastIndexOf(' : ') + 3));
  return SAFE_RENDERED.test(arg) || (/^table\(/.test(arg));
}

describe('CLI writes', () => {
  const root = dirname(fileURLToPath(import.meta.url));
  const writes = cliSources(root).filter((f) => !NOT_YET_CHECKED.has(f)).flatMap((file) => writeArguments(readFileSync(join(root, file), 'utf8')).map((arg) => ({ file, arg })));

  it('finds the writes it checks', () => {
    expect(writes.length).toBeGreaterThan(20);
    expect(safeWrite('`note: ${event.message}\\n`')).toBe(false);
    expect(safeWrite('`${JSON.stringify(x)}\\n`')).toBe(false);
    expect(safeWrite('message')).toBe(false);
  });

  it('every write of text goes through an escaper', () => {
    expect(writes.filter((w) => !safeWrite(w.arg))).toEqual([]);
  });
});
