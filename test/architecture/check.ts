/**
 * Checks the shape of src/: which top-level folders may import which, which modules the pure core may not touch,
 * no imports of test code, no cycles between folders, and no over-long functions. It reads the syntax tree of each
 * file (TypeScript compiler API, no type checking), so it works on in-memory files as well as on the tree.
 */
import { posix } from 'node:path';
import ts from 'typescript';
import { compareStrings } from '../../src/util/order.js';

/** A source file by its repository-relative path (`src/plan/plan.ts`). */
export interface SourceFile {
  readonly path: string;
  readonly text: string;
}

/** The rules, as data (architecture.test.ts holds the project's, ARCHITECTURE.md describes them). */
export interface ArchitectureRules {
  /** Top-level folder of src/ → its layer. A folder missing here is reported. */
  readonly layers: Readonly<Record<string, 'core' | 'edge'>>;
  /** Modules (or prefixes ending in `/`) a core file may not import; `node:x` also covers bare `x`. */
  readonly coreForbiddenModules: readonly string[];
  /** Edge folder → edge folders it may not import. */
  readonly edgeForbidden: Readonly<Record<string, readonly string[]>>;
  /** Top-level folders of the repository that src/ may never import (test helpers). */
  readonly testFolders: readonly string[];
  /** Files outside the folder rules (library entry, version). */
  readonly exemptFiles: readonly string[];
  /** Longest allowed function, in lines from its first line to its closing brace. */
  readonly maxFunctionLines: number;
  /** Files whose functions are not measured (generated data). */
  readonly longFunctionExempt: readonly string[];
}

/** Which rule a violation breaks. */
export type RuleName = 'unknown-folder' | 'core-to-edge' | 'core-module' | 'edge-to-edge' | 'test-import' | 'folder-cycle' | 'long-function';

/** One broken rule; `key` is stable across edits (no line numbers or lengths) so a baseline can name it. */
export interface Violation {
  readonly rule: RuleName;
  readonly key: string;
  readonly message: string;
}

interface Import {
  readonly from: string;
  readonly specifier: string;
  readonly line: number;
  /** Repository-relative target for relative specifiers (`.js` read as `.ts`), else undefined. */
  readonly target?: string;
}

const isTest = (path: string): boolean => /\.test\.[cm]?[jt]s$/.test(path);

/** The top-level folder of a src/ path, or undefined for a file directly in src/ or outside it. */
export function topFolder(path: string): string | undefined {
  const parts = path.split('/');
  return parts[0] === 'src' && parts.length > 2 ? parts[1] : undefined;
}

function parse(file: SourceFile): ts.SourceFile {
  return ts.createSourceFile(file.path, file.text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
}

function lineOf(sf: ts.SourceFile, node: ts.Node): number {
  return sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
}

/** Every import, re-export, dynamic import and `require` with a literal specifier. */
function importsOf(sf: ts.SourceFile): Import[] {
  const out: Import[] = [];
  const add = (node: ts.Node, spec: ts.Expression | undefined): void => {
    if (!spec || !ts.isStringLiteralLike(spec)) return;
    const specifier = spec.text;
    const target = specifier.startsWith('.') ? posix.normalize(posix.join(posix.dirname(sf.fileName), specifier)).replace(/\.js$/, '.ts') : undefined;
    out.push({ from: sf.fileName, specifier, line: lineOf(sf, node), ...(target === undefined ? {} : { target }) });
  };
  const visit = (n: ts.Node): void => {
    if (ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) add(n, n.moduleSpecifier);
    else if (ts.isImportEqualsDeclaration(n) && ts.isExternalModuleReference(n.moduleReference)) add(n, n.moduleReference.expression);
    else if (ts.isCallExpression(n) && (n.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(n.expression) && n.expression.text === 'require'))) add(n, n.arguments[0]);
    n.forEachChild(visit);
  };
  visit(sf);
  return out;
}

function forbiddenModule(specifier: string, forbidden: readonly string[]): string | undefined {
  const bare = specifier.replace(/^node:/, '');
  return forbidden.find((f) => (f.endsWith('/') ? specifier.startsWith(f) : f === specifier || f.replace(/^node:/, '') === bare));
}

/** Folder, module and test-import rules for one import. */
function checkImport(imp: Import, rules: ArchitectureRules): Violation[] {
  const out: Violation[] = [];
  const at = `${imp.from}:${imp.line}`;
  const folder = topFolder(imp.from);
  const layer = folder === undefined ? undefined : rules.layers[folder];
  if (imp.target === undefined) {
    const mod = layer === 'core' ? forbiddenModule(imp.specifier, rules.coreForbiddenModules) : undefined;
    if (mod !== undefined) out.push({ rule: 'core-module', key: `core-module ${imp.from} ${imp.specifier}`, message: `${at}: core file imports \`${imp.specifier}\`; core folders stay pure (move the effect to io/, aws/, operations/ or cli/)` });
    return out;
  }
  if (rules.testFolders.some((t) => imp.target!.startsWith(`${t}/`)) || isTest(imp.target)) {
    out.push({ rule: 'test-import', key: `test-import ${imp.from} ${imp.target}`, message: `${at}: imports test code \`${imp.target}\`; shipped code never depends on tests or test helpers` });
  }
  const to = topFolder(imp.target);
  if (folder === undefined || to === undefined || folder === to || rules.exemptFiles.includes(imp.target)) return out;
  const toLayer = rules.layers[to];
  if (layer === 'core' && toLayer === 'edge') {
    out.push({ rule: 'core-to-edge', key: `core-to-edge ${imp.from} ${imp.target}`, message: `${at}: core folder \`${folder}\` imports edge folder \`${to}\` (\`${imp.target}\`); core never depends on an edge` });
  }
  if (rules.edgeForbidden[folder]?.includes(to)) {
    out.push({ rule: 'edge-to-edge', key: `edge-to-edge ${imp.from} ${imp.target}`, message: `${at}: \`${folder}\` may not import \`${to}\` (\`${imp.target}\`)` });
  }
  return out;
}

/** Strongly connected components with more than one folder (Tarjan), each as a sorted list. */
function stronglyConnected(graph: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const strong = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of [...(graph.get(v) ?? [])].sort()) {
      if (!index.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    for (let w = stack.pop()!; ; w = stack.pop()!) {
      onStack.delete(w);
      component.push(w);
      if (w === v) break;
    }
    if (component.length > 1) out.push(component.sort());
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) strong(v);
  return out;
}

/** A shortest cycle through `start` inside `component` (breadth-first), as `a → b → a`. */
function cyclePath(start: string, component: readonly string[], graph: ReadonlyMap<string, ReadonlySet<string>>): string[] {
  const inside = new Set(component);
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift()!;
    for (const w of [...(graph.get(v) ?? [])].sort()) {
      if (!inside.has(w)) continue;
      if (w === start) {
        const path = [v];
        while (path[0] !== start) path.unshift(previous.get(path[0]!)!);
        return [...path, start];
      }
      if (!previous.has(w)) {
        previous.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start];
}

/** Cycles between top-level folders, each reported with one import per step. */
function checkCycles(imports: readonly Import[], rules: ArchitectureRules): Violation[] {
  const graph = new Map<string, Set<string>>();
  const example = new Map<string, Import>();
  for (const imp of imports) {
    const from = topFolder(imp.from);
    const to = imp.target === undefined ? undefined : topFolder(imp.target);
    if (from === undefined || to === undefined || from === to || rules.exemptFiles.includes(imp.target!)) continue;
    if (!graph.has(from)) graph.set(from, new Set());
    graph.get(from)!.add(to);
    if (!example.has(`${from}>${to}`)) example.set(`${from}>${to}`, imp);
  }
  return stronglyConnected(graph).map((component) => {
    const path = cyclePath(component[0]!, component, graph);
    const steps = path.slice(1).map((to, i) => {
      const imp = example.get(`${path[i]}>${to}`)!;
      return `${imp.from}:${imp.line} imports ${imp.target}`;
    });
    const others = component.length > path.length - 1 ? ` (the cycle joins ${component.join(', ')})` : '';
    return { rule: 'folder-cycle', key: `folder-cycle ${component.join(' ')}`, message: `folders import each other: ${path.join(' → ')}${others}: ${steps.join('; ')}` };
  });
}

function functionName(fn: ts.FunctionLikeDeclaration, sf: ts.SourceFile): string {
  const own = fn.name && (ts.isIdentifier(fn.name) || ts.isStringLiteral(fn.name) || ts.isPrivateIdentifier(fn.name)) ? fn.name.text : undefined;
  const parent = fn.parent;
  let name = own;
  if (name === undefined && (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) && ts.isIdentifier(parent.name)) name = parent.name.text;
  if (ts.isConstructorDeclaration(fn)) name = 'constructor';
  if (name === undefined) return `<anonymous at line ${lineOf(sf, fn)}>`;
  const owner = ts.isClassLike(parent) && parent.name ? `${parent.name.text}.` : '';
  return `${owner}${name}`;
}

/** Functions longer than the limit, counted from their first line to their closing brace (nested closures included). */
function checkFunctionLengths(file: SourceFile, sf: ts.SourceFile, rules: ArchitectureRules): Violation[] {
  if (rules.longFunctionExempt.includes(file.path)) return [];
  const out: Violation[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isFunctionLike(n) && 'body' in n && n.body) {
      const lines = sf.getLineAndCharacterOfPosition(n.getEnd()).line + 1 - lineOf(sf, n) + 1;
      if (lines > rules.maxFunctionLines) {
        const name = functionName(n as ts.FunctionLikeDeclaration, sf);
        out.push({ rule: 'long-function', key: `long-function ${file.path} ${name}`, message: `${file.path}:${lineOf(sf, n)}: function \`${name}\` is ${lines} lines; the limit is ${rules.maxFunctionLines}: split it along its seams` });
      }
    }
    n.forEachChild(visit);
  };
  visit(sf);
  return out;
}

/** Every violation of `rules` in the non-test files under src/ among `files`, sorted by rule and key. */
export function checkArchitecture(files: readonly SourceFile[], rules: ArchitectureRules): Violation[] {
  const sources = files.filter((f) => f.path.startsWith('src/') && f.path.endsWith('.ts') && !isTest(f.path));
  const out: Violation[] = [];
  const imports: Import[] = [];
  const unknown = new Set<string>();
  for (const file of sources) {
    const sf = parse(file);
    const folder = topFolder(file.path);
    if (folder !== undefined && rules.layers[folder] === undefined) unknown.add(folder);
    out.push(...checkFunctionLengths(file, sf, rules));
    if (rules.exemptFiles.includes(file.path)) continue;
    for (const imp of importsOf(sf)) {
      imports.push(imp);
      out.push(...checkImport(imp, rules));
    }
  }
  for (const folder of unknown) {
    out.push({ rule: 'unknown-folder', key: `unknown-folder ${folder}`, message: `src/${folder}/ has no layer; add it to the rules as core or edge` });
  }
  out.push(...checkCycles(imports, rules));
  return out.sort((a, b) => compareStrings(a.rule, b.rule) || compareStrings(a.key, b.key));
}
