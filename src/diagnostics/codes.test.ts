import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { renderDiagnosticsDoc } from '../../scripts/diagnostics-doc.js';
import { DIAGNOSTIC_CODES, describeCode, isDiagnosticCode, type CodeSeverity } from './codes.js';

/*
 * Finds every diagnostic code the sources use, with the severity each use is emitted with, by reading the syntax
 * tree of each non-test file under src/. A code is used by a string literal `'BH1234'` or by a constant of a code
 * table (`EmitCode.UnknownOu` for `export const EmitCode = { UnknownOu: 'BH8101', … }`). The severity comes from
 * where the code flows: the first argument of `error(…)`/`warning(…)`, a `{ code, severity: 'error' }` object, or a
 * parameter of a function in the same file that passes it on to one of those (`this.err(code, …)`, `inList(…)`),
 * through `cond ? 'A' : 'B'` and local `const code = …`.
 */

type Emitted = 'error' | 'warning';

interface CodeUse {
  readonly code: string;
  readonly where: string;
  /** Undefined when the use is not an emission (a comparison, a filter) or flows somewhere this scan cannot follow. */
  readonly severity?: Emitted;
}

interface SourceText {
  readonly path: string;
  readonly text: string;
}

const CODE = /^BH\d{4}$/;
const BASE_SINKS = new Map<string, ReadonlyMap<number, Emitted>>([
  ['error', new Map<number, Emitted>([[0, 'error']])],
  ['warning', new Map<number, Emitted>([[0, 'warning']])],
]);

/**
 * Codes whose uses reach error()/warning() through a function of another file, which the scan does not follow; the
 * registry's severity is checked by reading that function. BH8104 is passed to emit/policy-check.ts's checker,
 * which reports it with error() when a policy document is not a JSON object.
 */
const INDIRECT: ReadonlyMap<string, Emitted> = new Map([
  ['BH8104', 'error'],
  // plan/stages/context.ts inList() emits these as errors for the stage modules
  ['BH1013', 'error'],
  ['BH1015', 'error'],
  ['BH1063', 'error'],
  // operations/worker-start.ts collectShares() emits these with warning() for verify's and diff's threads
  ['BH7103', 'warning'],
  ['BH9107', 'warning'],
]);

function unwrap(e: ts.Expression): ts.Expression {
  while (ts.isAsExpression(e) || ts.isSatisfiesExpression(e) || ts.isParenthesizedExpression(e)) e = e.expression;
  return e;
}

function calleeName(e: ts.Expression): string | undefined {
  if (ts.isIdentifier(e)) return e.text;
  if (ts.isPropertyAccessExpression(e)) return e.name.text;
  return undefined;
}

function functionName(fn: ts.SignatureDeclaration): string | undefined {
  if ((ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn)) && fn.name && ts.isIdentifier(fn.name)) return fn.name.text;
  const parent = fn.parent;
  if ((ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent)) && ts.isIdentifier(parent.name)) return parent.name.text;
  return undefined;
}

function walk(node: ts.Node, visit: (n: ts.Node) => void): void {
  visit(node);
  node.forEachChild((c) => walk(c, visit));
}

/** `X.Prop` → code for every `const X = { Prop: 'BH…' }` table in the files. */
function codeTables(files: readonly ts.SourceFile[]): Map<string, string> {
  const tables = new Map<string, string>();
  for (const sf of files) {
    walk(sf, (n) => {
      if (!ts.isVariableDeclaration(n) || !ts.isIdentifier(n.name) || !n.initializer) return;
      const init = unwrap(n.initializer);
      if (!ts.isObjectLiteralExpression(init)) return;
      for (const p of init.properties) {
        if (ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && ts.isStringLiteral(p.initializer) && CODE.test(p.initializer.text)) {
          tables.set(`${n.name.text}.${p.name.text}`, p.initializer.text);
        }
      }
    });
  }
  return tables;
}

/** Functions of one file that pass a parameter on to error()/warning(), as name → parameter index → severity. */
function fileSinks(sf: ts.SourceFile): Map<string, Map<number, Emitted>> {
  const sinks = new Map<string, Map<number, Emitted>>([...BASE_SINKS].map(([k, v]) => [k, new Map(v)]));
  const functions: ts.SignatureDeclaration[] = [];
  walk(sf, (n) => {
    if (ts.isFunctionLike(n) && 'body' in n && n.body) functions.push(n);
  });
  for (let changed = true; changed; ) {
    changed = false;
    for (const fn of functions) {
      const name = functionName(fn);
      if (name === undefined) continue;
      fn.parameters.forEach((param, index) => {
        if (!ts.isIdentifier(param.name) || sinks.get(name)?.has(index)) return;
        const paramName = param.name.text;
        walk(fn, (n) => {
          if (!ts.isCallExpression(n) || sinks.get(name)?.has(index)) return;
          const callee = sinks.get(calleeName(n.expression) ?? '');
          n.arguments.forEach((arg, k) => {
            const severity = callee?.get(k);
            if (severity === undefined || !ts.isIdentifier(unwrap(arg)) || (unwrap(arg) as ts.Identifier).text !== paramName) return;
            if (!sinks.has(name)) sinks.set(name, new Map());
            sinks.get(name)!.set(index, severity);
            changed = true;
          });
        });
      });
    }
  }
  return sinks;
}

/** Severities a code expression is emitted with (empty when it is not emitted where the scan can see). */
function severitiesOf(node: ts.Expression, sinks: ReadonlyMap<string, ReadonlyMap<number, Emitted>>, seen = new Set<ts.Node>()): Emitted[] {
  let n: ts.Node = node;
  for (;;) {
    const p: ts.Node = n.parent;
    const wraps = ts.isParenthesizedExpression(p) || ts.isAsExpression(p) || ts.isSatisfiesExpression(p);
    if (!wraps && !(ts.isConditionalExpression(p) && p.condition !== n)) break;
    n = p;
  }
  const p = n.parent;
  if (ts.isCallExpression(p) && p.expression !== n) {
    const severity = sinks.get(calleeName(p.expression) ?? '')?.get(p.arguments.indexOf(n as ts.Expression));
    return severity ? [severity] : [];
  }
  if (ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === 'code' && ts.isObjectLiteralExpression(p.parent)) {
    const sev = p.parent.properties.find((q) => ts.isPropertyAssignment(q) && ts.isIdentifier(q.name) && q.name.text === 'severity');
    const value = sev && ts.isPropertyAssignment(sev) ? unwrap(sev.initializer) : undefined;
    return value && ts.isStringLiteral(value) && (value.text === 'error' || value.text === 'warning') ? [value.text] : [];
  }
  if (ts.isVariableDeclaration(p) && p.initializer === n && ts.isIdentifier(p.name) && !seen.has(p)) {
    seen.add(p);
    const name = p.name.text;
    let scope: ts.Node = p;
    while (!ts.isSourceFile(scope) && !ts.isFunctionLike(scope)) scope = scope.parent;
    const out: Emitted[] = [];
    const refs = (r: ts.Node): void => {
      // A nested function with a parameter of the same name shadows the constant.
      if (r !== scope && ts.isFunctionLike(r) && r.parameters.some((q) => ts.isIdentifier(q.name) && q.name.text === name)) return;
      if (ts.isIdentifier(r) && r.text === name && r !== p.name && !ts.isPropertyAccessExpression(r.parent)) out.push(...severitiesOf(r, sinks, seen));
      r.forEachChild(refs);
    };
    refs(scope);
    return out;
  }
  return [];
}

/** Every code use in the given sources. */
function scanCodes(sources: readonly SourceText[]): CodeUse[] {
  const files = sources.map((s) => ts.createSourceFile(s.path, s.text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS));
  const tables = codeTables(files);
  const uses: CodeUse[] = [];
  for (const sf of files) {
    const sinks = fileSinks(sf);
    walk(sf, (n) => {
      let code: string | undefined;
      if ((ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) && CODE.test(n.text)) {
        // The entry of a code table is its definition; the uses are where `Table.Entry` appears.
        if (ts.isPropertyAssignment(n.parent) && tables.has(`${tableName(n.parent)}.${n.parent.name.getText(sf)}`)) return;
        code = n.text;
      } else if (ts.isPropertyAccessExpression(n)) {
        code = tables.get(n.getText(sf));
      }
      if (code === undefined) return;
      const where = `${sf.fileName}:${sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1}`;
      const severities = [...new Set(severitiesOf(n as ts.Expression, sinks))];
      if (severities.length === 0) uses.push({ code, where });
      for (const severity of severities) uses.push({ code, where, severity });
    });
  }
  return uses;
}

function tableName(p: ts.PropertyAssignment): string {
  const decl = p.parent.parent;
  let d: ts.Node = decl;
  while (!ts.isVariableDeclaration(d) && !ts.isSourceFile(d)) d = d.parent;
  return ts.isVariableDeclaration(d) && ts.isIdentifier(d.name) ? d.name.text : '';
}

const root = join(import.meta.dirname, '..', '..');
const REGISTRY_FILE = 'src/diagnostics/codes.ts';

function sourceFiles(dir: string): SourceText[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts'))
    .map((e) => relative(root, join(e.parentPath, e.name)).split('\\').join('/'))
    .filter((path) => path !== REGISTRY_FILE)
    .sort()
    .map((path) => ({ path, text: readFileSync(join(root, path), 'utf8') }));
}

const uses = scanCodes(sourceFiles(join(root, 'src')));
const registered = Object.keys(DIAGNOSTIC_CODES);

function matches(severity: CodeSeverity, seen: ReadonlySet<Emitted>): boolean {
  if (severity === 'both') return seen.has('error') && seen.has('warning');
  return seen.size === 1 && seen.has(severity);
}

describe('the diagnostic-code registry', () => {
  it('registers every code the sources use', () => {
    const unknown = uses.filter((u) => !isDiagnosticCode(u.code)).map((u) => `${u.code} at ${u.where}`);
    expect(unknown, 'add these codes to src/diagnostics/codes.ts and run `npm run gen:diagnostics`').toEqual([]);
  });

  it('registers no code that the sources never use', () => {
    const used = new Set(uses.map((u) => u.code));
    expect(registered.filter((c) => !used.has(c)), 'remove these from src/diagnostics/codes.ts or use them').toEqual([]);
  });

  it('gives each code the severity its uses emit it with', () => {
    const problems: string[] = [];
    for (const code of registered) {
      const info = describeCode(code)!;
      const mine = uses.filter((u) => u.code === code);
      const seen = new Set(mine.flatMap((u) => (u.severity ? [u.severity] : [])));
      const indirect = INDIRECT.get(code);
      if (indirect !== undefined) {
        if (seen.size > 0) problems.push(`${code} is now emitted where the scan sees it; remove it from INDIRECT`);
        else if (!matches(info.severity, new Set([indirect]))) problems.push(`${code}: registry says ${info.severity}, INDIRECT says ${indirect}`);
      } else if (seen.size === 0) {
        problems.push(`${code}: no use shows its severity (${mine.map((u) => u.where).join(', ')}); emit it with error()/warning() or list it in INDIRECT`);
      } else if (!matches(info.severity, seen)) {
        const detail = mine.filter((u) => u.severity).map((u) => `${u.severity} at ${u.where}`);
        problems.push(`${code}: registry says ${info.severity}, the sources emit ${[...seen].sort().join(' and ')} (${detail.join(', ')})`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('documents every code in docs/diagnostics.md, and the committed doc is current (`npm run gen:diagnostics`)', () => {
    const doc = readFileSync(join(root, 'docs', 'diagnostics.md'), 'utf8');
    expect(registered.filter((c) => !new RegExp(`\\b${c}\\b`).test(doc))).toEqual([]);
    expect(doc).toBe(renderDiagnosticsDoc());
  });

  it('looks codes up', () => {
    expect(isDiagnosticCode('BH1001')).toBe(true);
    expect(isDiagnosticCode('BH9999')).toBe(false);
    expect(isDiagnosticCode('toString')).toBe(false);
    expect(describeCode('BH1040')).toEqual({ severity: 'warning', area: 'plan/limits', meaning: expect.stringContaining('account quota') });
    expect(describeCode('nope')).toBeUndefined();
  });
});

describe('the code scan', () => {
  it('follows literals, code tables, helpers, conditionals and local constants to their severity', () => {
    const found = scanCodes([
      {
        path: 'a.ts',
        text: `
          export const T = { Bad: 'BH0101', Unused: 'BH0109' } as const;
          const inList = (v: string, code: string) => { out.push(error(code, v)); };
          class P { private warn(code: string) { this.d.push(warning(code, 'm')); } run() { this.warn('BH0102'); } }
          out.push(error(T.Bad, 'x'));
          inList('v', 'BH0103');
          const code = x ? 'BH0104' : 'BH0105';
          out.push(warning(code, 'y'));
          out.push({ code: 'BH0106', severity: 'warning', message: 'z' });
          if (d.code === 'BH0107') skip();
        `,
      },
    ]);
    expect(found.map((u) => [u.code, u.severity ?? '-', u.where])).toEqual([
      ['BH0102', 'warning', 'a.ts:4'],
      ['BH0101', 'error', 'a.ts:5'],
      ['BH0103', 'error', 'a.ts:6'],
      ['BH0104', 'warning', 'a.ts:7'],
      ['BH0105', 'warning', 'a.ts:7'],
      ['BH0106', 'warning', 'a.ts:9'],
      ['BH0107', '-', 'a.ts:10'],
    ]);
  });
});
