/**
 * A small HCL writer whose output is byte-identical to what `terraform fmt` writes, for the subset of HCL the
 * Terraform emitter uses: blocks, attributes, strings, numbers, bools, lists, objects, references and function calls.
 *
 * Why not build text by hand: `terraform fmt` aligns the `=` of consecutive one-line attributes and indents by
 * bracket nesting. Doing that in one place keeps every emitted file stable under `terraform fmt -check`.
 */

/** An HCL expression. */
export type HclExpr =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'null' }
  /** A reference or any other expression that is already valid single-line HCL, e.g. `aws_x.y.id`. */
  | { readonly kind: 'raw'; readonly text: string }
  /** A quoted template mixing literal text and interpolated references. */
  | { readonly kind: 'template'; readonly parts: readonly (string | { readonly ref: string })[] }
  | { readonly kind: 'list'; readonly items: readonly HclExpr[] }
  | { readonly kind: 'object'; readonly entries: readonly (readonly [string, HclExpr])[] }
  | { readonly kind: 'call'; readonly fn: string; readonly args: readonly HclExpr[] };

/** One item of a block body. */
export type HclBodyItem =
  | { readonly kind: 'attr'; readonly name: string; readonly value: HclExpr }
  | { readonly kind: 'block'; readonly type: string; readonly labels: readonly string[]; readonly body: readonly HclBodyItem[] }
  | { readonly kind: 'blank' }
  | { readonly kind: 'comment'; readonly text: string };

/** Expression builders. */
export const h = {
  str: (value: string): HclExpr => ({ kind: 'string', value }),
  num: (value: number): HclExpr => ({ kind: 'number', value }),
  bool: (value: boolean): HclExpr => ({ kind: 'bool', value }),
  null: (): HclExpr => ({ kind: 'null' }),
  raw: (text: string): HclExpr => ({ kind: 'raw', text }),
  tpl: (...parts: (string | { ref: string })[]): HclExpr => ({ kind: 'template', parts }),
  list: (items: readonly HclExpr[]): HclExpr => ({ kind: 'list', items }),
  obj: (entries: readonly (readonly [string, HclExpr])[]): HclExpr => ({ kind: 'object', entries }),
  call: (fn: string, ...args: HclExpr[]): HclExpr => ({ kind: 'call', fn, args }),
  attr: (name: string, value: HclExpr): HclBodyItem => ({ kind: 'attr', name, value }),
  block: (type: string, labels: readonly string[], body: readonly HclBodyItem[]): HclBodyItem => ({
    kind: 'block',
    type,
    labels,
    body,
  }),
  blank: (): HclBodyItem => ({ kind: 'blank' }),
  comment: (text: string): HclBodyItem => ({ kind: 'comment', text }),
};

/** Builds an HCL expression from a JSON value (used for policy documents inside `jsonencode`). */
export function fromJson(value: unknown, mapString: (s: string) => HclExpr = h.str): HclExpr {
  if (value === null || value === undefined) return h.null();
  if (typeof value === 'string') return mapString(value);
  if (typeof value === 'number') return h.num(value);
  if (typeof value === 'boolean') return h.bool(value);
  if (Array.isArray(value)) return h.list(value.map((v) => fromJson(v, mapString)));
  if (typeof value === 'object') {
    return h.obj(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, fromJson(v, mapString)] as const));
  }
  throw new Error(`fromJson: unsupported value of type ${typeof value}`);
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** Escapes literal text for a quoted HCL string: quotes, backslashes, control characters and template openers. */
export function escapeString(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    const next = s[i + 1];
    if (c === '\\') out += '\\\\';
    else if (c === '"') out += '\\"';
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\t') out += '\\t';
    // `${` and `%{` would start an interpolation or directive; HCL escapes them by doubling the sigil.
    else if ((c === '$' || c === '%') && next === '{') out += c + c;
    else if (c.charCodeAt(0) < 0x20) out += `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
    else out += c;
  }
  return out;
}

/** Quotes an object key when it is not a bare identifier. */
function renderKey(key: string): string {
  return IDENT.test(key) ? key : `"${escapeString(key)}"`;
}

function renderNumber(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`hcl: cannot render non-finite number ${n}`);
  return String(n);
}

/** Renders a scalar or single-line expression, or undefined when the expression needs several lines. */
function renderInline(e: HclExpr): string | undefined {
  switch (e.kind) {
    case 'string':
      return `"${escapeString(e.value)}"`;
    case 'number':
      return renderNumber(e.value);
    case 'bool':
      return e.value ? 'true' : 'false';
    case 'null':
      return 'null';
    case 'raw':
      return e.text;
    case 'template':
      return `"${e.parts.map((p) => (typeof p === 'string' ? escapeString(p) : `\${${p.ref}}`)).join('')}"`;
    case 'list': {
      if (e.items.length === 0) return '[]';
      // Lists of scalars stay on one line while short; anything nested goes multi-line.
      const parts = e.items.map((i) => (i.kind === 'list' || i.kind === 'object' || i.kind === 'call' ? undefined : renderInline(i)));
      if (parts.some((p) => p === undefined)) return undefined;
      const line = `[${parts.join(', ')}]`;
      return line.length <= 80 ? line : undefined;
    }
    case 'object':
      return e.entries.length === 0 ? '{}' : undefined;
    case 'call': {
      const args = e.args.map(renderInline);
      if (args.some((a) => a === undefined)) return undefined;
      return `${e.fn}(${args.join(', ')})`;
    }
  }
}

/**
 * Renders an expression as lines. The first line continues the current line (after `name = `); the following
 * lines are already indented for nesting level `level` (the level of the line the expression starts on).
 */
function renderExpr(e: HclExpr, level: number): string[] {
  const inline = renderInline(e);
  if (inline !== undefined) return [inline];
  const pad = '  '.repeat(level);
  const inner = '  '.repeat(level + 1);
  switch (e.kind) {
    case 'list': {
      const lines = ['['];
      for (const item of e.items) {
        const r = renderExpr(item, level + 1);
        r[0] = inner + r[0]!;
        r[r.length - 1] += ',';
        lines.push(...r);
      }
      lines.push(`${pad}]`);
      return lines;
    }
    case 'object': {
      const lines = ['{'];
      lines.push(...renderEntries(e.entries.map(([k, v]) => [renderKey(k), v] as const), level + 1));
      lines.push(`${pad}}`);
      return lines;
    }
    case 'call': {
      // `fn({ … })` or `fn([ … ])`: the brackets open on the same line, so fmt indents the content one level only.
      if (e.args.length === 1 && (e.args[0]!.kind === 'object' || e.args[0]!.kind === 'list')) {
        const r = renderExpr(e.args[0]!, level);
        r[0] = `${e.fn}(${r[0]}`;
        r[r.length - 1] += ')';
        return r;
      }
      throw new Error(`hcl: cannot render multi-line call to ${e.fn}`);
    }
    default:
      throw new Error(`hcl: unexpected multi-line ${e.kind}`);
  }
}

/**
 * Renders `key = value` lines at a nesting level, aligning the `=` of consecutive one-line entries the way
 * `terraform fmt` does (a multi-line value ends the alignment group).
 */
function renderEntries(entries: readonly (readonly [string, HclExpr])[], level: number): string[] {
  const pad = '  '.repeat(level);
  const rendered = entries.map(([k, v]) => ({ key: k, lines: renderExpr(v, level) }));
  const out: string[] = [];
  let i = 0;
  while (i < rendered.length) {
    if (rendered[i]!.lines.length > 1) {
      const r = rendered[i]!;
      out.push(`${pad}${r.key} = ${r.lines[0]}`, ...r.lines.slice(1));
      i++;
      continue;
    }
    let j = i;
    let width = 0;
    while (j < rendered.length && rendered[j]!.lines.length === 1) {
      width = Math.max(width, rendered[j]!.key.length);
      j++;
    }
    for (let k = i; k < j; k++) {
      const r = rendered[k]!;
      out.push(`${pad}${r.key.padEnd(width)} = ${r.lines[0]}`);
    }
    i = j;
  }
  return out;
}

function renderBody(items: readonly HclBodyItem[], level: number): string[] {
  const pad = '  '.repeat(level);
  const out: string[] = [];
  let run: (readonly [string, HclExpr])[] = [];
  const flush = () => {
    if (run.length) out.push(...renderEntries(run, level));
    run = [];
  };
  for (const item of items) {
    switch (item.kind) {
      case 'attr':
        if (!IDENT.test(item.name)) throw new Error(`hcl: invalid attribute name ${item.name}`);
        run.push([item.name, item.value]);
        break;
      case 'block': {
        flush();
        const labels = item.labels.map((l) => ` "${escapeString(l)}"`).join('');
        if (item.body.length === 0) {
          out.push(`${pad}${item.type}${labels} {`, `${pad}}`);
        } else {
          out.push(`${pad}${item.type}${labels} {`, ...renderBody(item.body, level + 1), `${pad}}`);
        }
        break;
      }
      case 'blank':
        flush();
        out.push('');
        break;
      case 'comment':
        flush();
        for (const line of item.text.split('\n')) out.push(line ? `${pad}# ${line}` : `${pad}#`);
        break;
    }
  }
  flush();
  return out;
}

/** Renders a whole file: top-level items separated as given, ending with one newline. */
export function renderHcl(items: readonly HclBodyItem[]): string {
  const lines = renderBody(items, 0).map((l) => l.replace(/[ \t]+$/, ''));
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  return `${lines.join('\n')}\n`;
}

/** Renders top-level blocks separated by one blank line, the usual Terraform file layout. */
export function renderBlocks(blocks: readonly HclBodyItem[]): string {
  const items: HclBodyItem[] = [];
  blocks.forEach((b, i) => {
    if (i > 0) items.push(h.blank());
    items.push(b);
  });
  return renderHcl(items);
}
