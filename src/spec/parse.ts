/**
 * Spec text → typed spec, with every problem as a positioned diagnostic (YAML syntax, duplicate keys,
 * wrong types, unknown keys with "did you mean"). Cross-references are checked later by `validateSpec`.
 */
import { isAlias, isCollection, isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Alias, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import type { z } from 'zod';
import { dedupeDiagnostics, error, fail, ok, type Diagnostic, type Result, type SourcePosition } from '../diagnostics/diagnostic.js';
import { compareStrings } from '../util/order.js';
import { messageValue } from '../util/message-value.js';
import { didYouMean, suggest } from '../util/suggest.js';
import { findDeepNesting, MAX_NESTING_DEPTH } from './depth.js';
import { specParseSchema, specSchema, type Spec } from './schema.js';

/** A path into the spec: object keys and array indexes. */
export type SpecPath = readonly (string | number)[];

/** Formats a path as `businessUnits[2].phases[0]`. */
export function formatPath(path: SpecPath): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(p)) out += out ? `.${p}` : p;
    else out += `[${JSON.stringify(p)}]`;
  }
  return out;
}

/** Finds the source position of a path in a parsed YAML document (the key when `atKey`). */
export interface PositionLocator {
  (path: SpecPath, atKey?: boolean): SourcePosition | undefined;
}

/** The parsed spec plus what is needed to position later diagnostics. */
export interface ParsedSpec {
  readonly spec: Spec;
  readonly locate: PositionLocator;
}

/** Maximum spec size accepted; larger inputs are refused rather than parsed slowly. */
export const MAX_SPEC_BYTES = 5 * 1024 * 1024;

/** A YAML mapping's key text (a scalar key's value as a string; a collection key has none). */
function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return typeof key === 'string' || typeof key === 'number' ? String(key) : undefined;
}

function makeLocator(doc: Document, lc: LineCounter): PositionLocator {
  // each mapping's pairs by key, built on first use, so locating every one of n diagnostics stays linear
  const index = new WeakMap<object, Map<string, Pair>>();
  const pairOf = (map: YAMLMap, key: string | number): Pair | undefined => {
    let byKey = index.get(map);
    if (!byKey) {
      byKey = new Map();
      for (const it of map.items) {
        const k = keyText(it.key);
        if (k !== undefined && !byKey.has(k)) byKey.set(k, it);
      }
      index.set(map, byKey);
    }
    return byKey.get(String(key));
  };
  return (path, atKey = false) => {
    let node: unknown = doc.contents;
    let keyNode: unknown;
    let last: unknown = node;
    for (const p of path) {
      if (isMap(node)) {
        const pair = pairOf(node, p);
        if (!pair) break;
        keyNode = pair.key;
        node = pair.value;
      } else if (isSeq(node) && typeof p === 'number') {
        keyNode = undefined;
        node = node.items[p];
      } else break;
      if (node) last = node;
      else break;
    }
    const target = (atKey && keyNode ? keyNode : (node ?? keyNode ?? last)) as Node | undefined;
    const offset = target?.range?.[0];
    if (offset === undefined) return undefined;
    const { line, col } = lc.linePos(offset);
    return { line, col };
  };
}

/**
 * Keys that appear twice in one mapping, at the second one. The yaml library's own check (`uniqueKeys`) compares each
 * key with every earlier one, quadratic in a mapping's size (20,000 keys took seconds); this is one pass with a set.
 * Keys are compared as text, so `1` and `"1"`, which become the same property, are duplicates too (else one would be
 * dropped without a word). A YAML 1.1 merge key `<<` may repeat.
 */
function duplicateKeys(doc: Document, lc: LineCounter): Diagnostic[] {
  const out: Diagnostic[] = [];
  visit(doc, {
    Map: (_key, map) => {
      const seen = new Set<string>();
      for (const it of map.items) {
        const k = keyText(it.key);
        if (k === undefined || k === '<<') continue;
        if (seen.has(k)) {
          const position = lc.linePos((it.key as Node | null)?.range?.[0] ?? 0);
          out.push({ ...error('BH1002', `duplicate key \`${messageValue(k)}\`; each key may appear once per mapping: remove or rename one`), position });
        } else seen.add(k);
      }
    },
  });
  return out;
}

function valueAt(root: unknown, path: SpecPath): unknown {
  let v: unknown = root;
  for (const p of path) {
    // own keys only: a user key like `constructor` must not find Object.prototype's
    if (v === null || typeof v !== 'object' || !Object.hasOwn(v, p)) return undefined;
    v = (v as Record<string | number, unknown>)[p];
  }
  return v;
}

/** The zod object shape at a path, to suggest keys for an unknown one. */
function knownKeysAt(schema: z.ZodType, path: SpecPath, data: unknown): string[] {
  let candidates: z.ZodType[] = [schema];
  const walk = (s: z.ZodType): z.ZodType[] => {
    const def = (s as unknown as { _zod: { def: Record<string, unknown> } })._zod.def;
    switch (def['type']) {
      case 'optional':
      case 'nullable':
      case 'default':
        return walk(def['innerType'] as z.ZodType);
      case 'union':
        return (def['options'] as z.ZodType[]).flatMap(walk);
      default:
        return [s];
    }
  };
  for (let i = 0; i < path.length; i++) {
    const p = path[i]!;
    const next: z.ZodType[] = [];
    for (const c of candidates.flatMap(walk)) {
      const def = (c as unknown as { _zod: { def: Record<string, unknown> } })._zod.def;
      if (def['type'] === 'object' && typeof p === 'string') {
        const shape = def['shape'] as Record<string, z.ZodType>;
        if (Object.hasOwn(shape, p)) next.push(shape[p]!);
      } else if (def['type'] === 'array' && typeof p === 'number') next.push(def['element'] as z.ZodType);
      else if (def['type'] === 'record') next.push(def['valueType'] as z.ZodType);
    }
    candidates = next;
  }
  const keys = new Set<string>();
  const here = valueAt(data, path);
  for (const c of candidates.flatMap(walk)) {
    const def = (c as unknown as { _zod: { def: Record<string, unknown> } })._zod.def;
    if (def['type'] !== 'object') continue;
    const shape = Object.keys(def['shape'] as Record<string, unknown>);
    // For unions of objects, prefer the branch that shares a key with the data (a preset vs. a custom guardrail).
    if (here && typeof here === 'object' && !shape.some((k) => k in (here as object)) && keys.size > 0) continue;
    shape.forEach((k) => keys.add(k));
  }
  return [...keys].sort();
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: '`true` or `false`',
  object: 'a mapping (key: value)',
  array: 'a list',
  record: 'a mapping (key: value)',
};

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `${typeof v} \`${messageValue(v)}\``;
}

type Issue = z.core.$ZodIssue;

/** Picks the issues of the union branch that fits best (fewest issues, then the deepest). */
function flattenIssues(issues: readonly Issue[], prefix: SpecPath = []): { path: SpecPath; issue: Issue }[] {
  const out: { path: SpecPath; issue: Issue }[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...(issue.path as (string | number)[])];
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      const branches = issue.errors.map((b) => flattenIssues(b, path));
      const score = (b: { path: SpecPath; issue: Issue }[]) =>
        b.length * 100 - Math.max(0, ...b.map((x) => x.path.length)) + (b.some((x) => x.issue.code === 'invalid_type' && x.path.length === path.length) ? 1000 : 0);
      branches.sort((a, b) => score(a) - score(b));
      out.push(...branches[0]!);
    } else out.push({ path, issue });
  }
  return out;
}

function issueToDiagnostic(issue: Issue, path: SpecPath, data: unknown, locate: PositionLocator): Diagnostic[] {
  const at = formatPath(path);
  const value = valueAt(data, path);
  const pos = (p: SpecPath, key?: boolean) => {
    const position = locate(p, key);
    return position ? { position } : {};
  };
  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = knownKeysAt(specSchema, path, data);
      return issue.keys.map((k) => ({
        ...error(
          'BH1004',
          `unknown key \`${k}\`${at ? ` in \`${at}\`` : ''}${didYouMean(k, known) || (known.length ? `; expected one of ${known.map((x) => `\`${x}\``).join(', ')}` : '')}`,
          formatPath([...path, k]),
        ),
        ...pos([...path, k], true),
      }));
    }
    case 'invalid_type': {
      if (value === undefined) {
        const key = path[path.length - 1];
        return [{ ...error('BH1005', `missing required key \`${String(key)}\`; add it`, at), ...pos(path.slice(0, -1)) }];
      }
      const expected = TYPE_NAMES[issue.expected] ?? issue.expected;
      return [{ ...error('BH1003', `expected ${expected}, got ${typeOf(value)}`, at), ...pos(path) }];
    }
    case 'invalid_value': {
      const code = path[0] === 'version' ? 'BH1006' : 'BH1003';
      const allowed = issue.values.map((v) => String(v));
      if (value !== undefined && !issue.values.some((v) => typeof v === typeof value)) {
        // `version: !!str 1` or `version: "1"`: the text is right, its type is not; say so instead of "did you mean `1`"
        const expected = issue.values.map((v) => `${typeof v} \`${String(v)}\``).join(' or ');
        const fix = typeof value === 'string' ? '; write it without quotes or a `!!str` tag' : '';
        return [{ ...error(code, `expected the ${expected}, got ${typeOf(value)}${fix}`, at), ...pos(path) }];
      }
      const suggestion = typeof value === 'string' ? suggest(value, allowed) : undefined;
      const hint =
        suggestion !== undefined && suggestion !== value
          ? `; did you mean \`${suggestion}\`?`
          : `; use ${allowed.length === 1 ? '' : 'one of '}${allowed.map((v) => `\`${v}\``).join(', ')}`;
      return [{ ...error(code, `\`${messageValue(value)}\` is not allowed here${hint}`, at), ...pos(path) }];
    }
    case 'too_small':
      return [
        {
          ...error(
            'BH1003',
            issue.origin === 'array' || issue.origin === 'set'
              ? `the list must have at least ${String(issue.minimum)} item${issue.minimum === 1 ? '' : 's'}`
              : issue.origin === 'string'
                ? 'the value must not be empty'
                : issue.inclusive === false
                  ? `\`${messageValue(value)}\` is too small; use a number above ${String(issue.minimum)}`
                  : `\`${messageValue(value)}\` is too small; use at least ${String(issue.minimum)}`,
            at,
          ),
          ...pos(path),
        },
      ];
    case 'too_big':
      return [{ ...error('BH1003', `\`${messageValue(value)}\` is too ${issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint' ? 'large' : 'long'}; the maximum is ${String(issue.maximum)}`, at), ...pos(path) }];
    default:
      return [{ ...error('BH1003', `invalid value \`${messageValue(value)}\`: ${issue.message.toLowerCase()}`, at), ...pos(path) }];
  }
}

/**
 * What the yaml library throws from `toJS` for bad input: a ReferenceError for an alias problem (unresolved, or so
 * many that it looks like a resource exhaustion attack), a plain Error for a bad YAML 1.1 merge key (`<<`).
 * Anything else (a TypeError, a RangeError) is a bug and surfaces.
 */
function isYamlInputError(e: unknown): e is Error {
  return e instanceof ReferenceError || (e instanceof Error && e.constructor === Error);
}

/** How many alias expansions a spec may make when read (the yaml library's `maxAliasCount`); a spec needs a handful. */
const MAX_ALIAS_COUNT = 100;

/** Line and column (1-based) of an offset in text not given to the parser (the pre-scans run before it). */
function positionAt(text: string, offset: number): SourcePosition {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, col: offset - lineStart + 1 };
}

/** The yaml library's own texts for the few errors it words as internals, in bulkhead's words. */
const YAML_ERROR_TEXT: Partial<Record<string, string>> = {
  RESOURCE_EXHAUSTION: 'the YAML is nested too deeply or is too large to read here',
  IMPOSSIBLE: 'the YAML cannot be read here',
};

/** The parser's errors and warnings (an unknown `!tag` is one), as positioned diagnostics (duplicate keys: {@link duplicateKeys}). */
function yamlProblems(doc: Document, lc: LineCounter, text: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const e of [...doc.errors, ...doc.warnings]) {
    const position = lc.linePos(e.pos[0]);
    if (e.code === 'MULTIPLE_DOCS') {
      out.push({ ...error('BH1001', 'the spec holds more than one YAML document (a `---` separator); keep one document per spec file'), position });
    } else if (e.code === 'TAG_RESOLVE_FAILED') {
      const tag = /^\S+/.exec(text.slice(e.pos[0], e.pos[0] + 100))?.[0] ?? 'tag';
      out.push({ ...error('BH1001', `invalid YAML: unknown tag \`${messageValue(tag)}\`; a spec uses plain YAML values: remove the tag`), position });
    } else {
      const msg = YAML_ERROR_TEXT[e.code] ?? e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '').replace(/^./, (c) => c.toLowerCase());
      out.push({ ...error('BH1001', `invalid YAML: ${msg}; fix the syntax here`), position });
    }
  }
  return out;
}

/** An alias of the document, the node its anchor names (if the anchor comes before it), and whether it lies inside that node. */
interface AliasUse {
  readonly alias: Alias;
  readonly target: Node | undefined;
  /** The alias is inside the node its anchor names (`&a [*a]`): the value would contain itself. */
  readonly recursive: boolean;
}

/** Every alias of the document, in document order (`visit` is iterative over a node's ancestors: `path`). */
function aliasesOf(doc: Document): AliasUse[] {
  const anchors = new Map<string, Node>();
  const out: AliasUse[] = [];
  visit(doc, (_key, node, path) => {
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      out.push({ alias: node, target, recursive: target !== undefined && path.includes(target) });
    } else if ((isScalar(node) || isCollection(node)) && node.anchor) anchors.set(node.anchor, node);
  });
  return out;
}

function containsAlias(node: Node): boolean {
  let found = false;
  visit(node, {
    Alias: () => {
      found = true;
      return visit.BREAK;
    },
  });
  return found;
}

/**
 * Aliases a spec cannot hold, positioned at the alias: one to an anchor not defined before it (`toJS` would throw
 * without a position), and one inside the node its own anchor names (`&a [*a]`, a value that contains itself, which
 * YAML allows but which no spec value can be: every later walk over it would recurse forever).
 */
function badAliases(doc: Document, lc: LineCounter): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const { alias, target, recursive } of aliasesOf(doc)) {
    const name = messageValue(alias.source);
    const position = lc.linePos(alias.range?.[0] ?? 0);
    if (target === undefined) {
      out.push({ ...error('BH1001', `invalid YAML: alias \`*${name}\` names no anchor defined before it; define \`&${name}\` earlier or write the value out`), position });
    } else if (recursive) {
      out.push({ ...error('BH1009', `alias \`*${name}\` lies inside the value its anchor \`&${name}\` names, so the value would contain itself; write the value out`), position });
    }
  }
  return out;
}

/** Where and why `toJS` refused the document: an alias bomb or a bad merge key. */
function conversionProblem(e: Error, doc: Document, lc: LineCounter, text: string): Diagnostic {
  if (/alias count/i.test(e.message)) {
    const aliases = aliasesOf(doc);
    const culprit = aliases.find(({ target }) => target !== undefined && isCollection(target) && containsAlias(target)) ?? aliases[0];
    const name = culprit ? `\`*${messageValue(culprit.alias.source)}\`` : 'an alias';
    return {
      ...error('BH1001', `invalid YAML: ${name} expands to more than ${MAX_ALIAS_COUNT} copies (aliases of collections that hold aliases multiply); write the values out or use fewer aliases`),
      position: lc.linePos(culprit?.alias.range?.[0] ?? 0),
    };
  }
  let mergeAt = 0;
  visit(doc, {
    Pair: (_key, pair) => {
      const range = (pair.key as Node | null)?.range;
      if (range && text.slice(range[0], range[1]) === '<<') {
        mergeAt = range[0];
        return visit.BREAK;
      }
      return undefined;
    },
  });
  const msg = e.message.split('\n')[0]!.replace(/^./, (c) => c.toLowerCase());
  return { ...error('BH1001', `invalid YAML: ${msg}; a merge key \`<<\` takes a mapping or an alias of one`), position: lc.linePos(mergeAt) };
}

/** Reads the YAML text into plain data, or every problem found with its position. */
function readYaml(text: string): Result<{ data: unknown; doc: Document; lc: LineCounter }> {
  const deep = findDeepNesting(text);
  if (deep) {
    return fail([
      {
        ...error('BH1008', `the spec nests deeper than ${MAX_NESTING_DEPTH} levels here (lists and mappings inside each other); a spec needs far fewer: flatten it or close the brackets`),
        position: positionAt(text, deep.offset),
      },
    ]);
  }
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: false });
  const problems = yamlProblems(doc, lc, text);
  if (problems.length === 0) problems.push(...duplicateKeys(doc, lc));
  if (problems.length > 0) return fail(problems);
  const aliasProblems = badAliases(doc, lc);
  if (aliasProblems.length > 0) return fail(aliasProblems);
  try {
    return ok({ data: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }), doc, lc });
  } catch (e) {
    if (!isYamlInputError(e)) throw e;
    return fail([conversionProblem(e, doc, lc, text)]);
  }
}

/** The first character of a file: where a diagnostic about the whole file points. */
const START: SourcePosition = { line: 1, col: 1 };

/**
 * CRLF and a lone CR as LF. YAML 1.2.2 §5.4 "Line Break Characters" (https://yaml.org/spec/1.2.2/#54-line-break-characters)
 * counts all three as a line break (production [28] `b-break`) and has line breaks in scalars read as one line feed;
 * the yaml library splits lines on LF only, so a file with CR-only line endings (classic Mac OS) would read as one
 * comment line. Each break stays one break, so every line and column stays where an editor shows it.
 */
function normalizeLineBreaks(text: string): string {
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
}

/**
 * Parses spec text. Returns the typed spec, or fails with every problem found. `file` is used only to label diagnostics.
 */
export function parseSpec(source: string, file: string): Result<ParsedSpec> {
  const withFile = (d: Diagnostic): Diagnostic => ({ ...d, file });
  if (source.length > MAX_SPEC_BYTES) {
    return fail([withFile({ ...error('BH1001', `the spec is ${source.length} bytes; the limit is ${MAX_SPEC_BYTES}; split or trim it`), position: START })]);
  }
  const text = normalizeLineBreaks(source);
  const read = readYaml(text);
  if (!read.ok) return fail(read.diagnostics.map(withFile));
  const { data, doc, lc } = read.value;
  const locate = makeLocator(doc, lc);
  if (data === null || data === undefined || typeof data !== 'object' || Array.isArray(data)) {
    // at the root node (a scalar or a list), or the start of a file with none (empty, only comments)
    const at = doc.contents?.range?.[0];
    return fail([
      withFile({
        ...error('BH1003', `the spec must be a mapping with \`version: 1\`, \`organization\`, \`phases\` and \`businessUnits\`; got ${typeOf(data)}`),
        position: at === undefined ? START : lc.linePos(at),
      }),
    ]);
  }
  const reserved = reservedKeys(data).map(({ path, key }) => {
    const position = locate(path, true);
    return withFile({ ...error('BH1007', `\`${key}\` cannot be a name or key in a spec (JavaScript reserves it, so it would be dropped); rename it`, formatPath(path)), ...(position ? { position } : {}) });
  });
  if (reserved.length > 0) return fail(reserved);
  const result = specParseSchema.safeParse(data);
  if (!result.success) {
    const diagnostics = flattenIssues(result.error.issues).flatMap(({ path, issue }) => issueToDiagnostic(issue, path, data, locate).map(withFile));
    return fail(dedupeDiagnostics(diagnostics));
  }
  return ok({ spec: result.data, locate });
}

/** Keys that a plain object cannot hold as data: the schema would drop them without a word. */
const RESERVED_KEYS = new Set(['__proto__']);

/** A place in the walked data: its parent and the key or index that leads to it (the path is built only on a hit). */
interface Place {
  readonly value: unknown;
  readonly parent?: Place;
  readonly key?: string | number;
}

function pathOf(place: Place): SpecPath {
  const path: (string | number)[] = [];
  for (let p: Place | undefined = place; p?.key !== undefined; p = p.parent) path.push(p.key);
  return path.reverse();
}

/**
 * Every mapping key in `value` that is reserved, with its path. Iterative and visiting each object once, so deep
 * nesting and alias cycles (`&a [*a]`) cannot overflow the stack.
 */
function reservedKeys(value: unknown): { path: SpecPath; key: string }[] {
  const found: { path: SpecPath; key: string }[] = [];
  const seen = new Set<object>();
  const stack: Place[] = [{ value }];
  for (let place = stack.pop(); place !== undefined; place = stack.pop()) {
    const v = place.value;
    if (typeof v !== 'object' || v === null || seen.has(v)) continue;
    seen.add(v);
    const entries: [string | number, unknown][] = Array.isArray(v) ? v.map((x, i) => [i, x]) : Object.entries(v);
    for (const [key, child] of entries) {
      const next: Place = { value: child, parent: place, key };
      if (typeof key === 'string' && RESERVED_KEYS.has(key)) found.push({ path: pathOf(next), key });
      stack.push(next);
    }
  }
  return found.sort((a, b) => compareStrings(formatPath(a.path), formatPath(b.path)));
}

