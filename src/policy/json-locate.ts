/**
 * Finds where JSON text stops being valid, for error positions (V8's JSON.parse messages do not always
 * carry one). Iterative, so deep nesting cannot overflow the stack.
 */

/**
 * Skips the JSON string starting at the quote at `i`: the offset after its closing quote, or `~offset` (negative)
 * of the character that makes it invalid (or of the end of the text).
 */
function skipString(text: string, i: number): number {
  const n = text.length;
  i++; // opening quote
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34) return i + 1;
    if (c < 0x20) return ~i;
    if (c === 92) {
      const e = text[i + 1];
      if (e === 'u') {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return ~i;
        i += 6;
      } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
      else return ~i;
    } else i++;
  }
  return ~i;
}

/** Offset of the first syntax error in `text`, or -1 when the text is valid JSON. */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const n = text.length;
  // stack of containers: '{' or '['; `expect` is what may come next
  const stack: string[] = [];
  type Want = 'value' | 'valueOrClose' | 'key' | 'keyOrClose' | 'colon' | 'commaOrClose' | 'end';
  let want: Want = 'value';
  const ws = (): void => {
    while (i < n && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const afterValue = (): Want => (stack.length === 0 ? 'end' : 'commaOrClose');
  const str = (): boolean => {
    const end = skipString(text, i);
    i = end < 0 ? ~end : end;
    return end >= 0;
  };
  for (;;) {
    ws();
    if (i >= n) return want === 'end' ? -1 : i;
    const c = text[i]!;
    switch (want) {
      case 'end':
        return i;
      case 'colon':
        if (c !== ':') return i;
        i++;
        want = 'value';
        continue;
      case 'commaOrClose':
        if (c === ',') {
          i++;
          want = stack[stack.length - 1] === '{' ? 'key' : 'value';
          continue;
        }
        if ((c === '}' && stack[stack.length - 1] === '{') || (c === ']' && stack[stack.length - 1] === '[')) {
          i++;
          stack.pop();
          want = afterValue();
          continue;
        }
        return i;
      case 'key':
      case 'keyOrClose':
        if (c === '}' && want === 'keyOrClose') {
          i++;
          stack.pop();
          want = afterValue();
          continue;
        }
        if (c !== '"') return i;
        if (!str()) return Math.min(i, n);
        want = 'colon';
        continue;
      case 'value':
      case 'valueOrClose':
        if (c === ']' && want === 'valueOrClose') {
          i++;
          stack.pop();
          want = afterValue();
          continue;
        }
        if (c === '{') {
          stack.push('{');
          i++;
          want = 'keyOrClose';
          continue;
        }
        if (c === '[') {
          stack.push('[');
          i++;
          want = 'valueOrClose';
          continue;
        }
        if (c === '"') {
          if (!str()) return Math.min(i, n);
          want = afterValue();
          continue;
        }
        {
          const m = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 400));
          if (!m) return i;
          i += m[0].length;
          want = afterValue();
          continue;
        }
    }
  }
}

/** Offset just past the JSON string whose opening quote is at `i` (the end of the text when it is not closed). */
export function jsonStringEnd(text: string, i: number): number {
  let j = text.indexOf('"', i + 1);
  while (j >= 0) {
    let k = j - 1;
    while (text.charCodeAt(k) === 92) k--; // an odd run of backslashes escapes the quote
    if ((j - 1 - k) % 2 === 0) return j + 1;
    j = text.indexOf('"', j + 1);
  }
  return text.length;
}

const BRACKETS = /["{}[\]]/g;

/** Offset just past the JSON value starting at `i` (no leading whitespace); linear, for skipping values. */
export function jsonValueEnd(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c === 34) return jsonStringEnd(text, i);
  if (c !== 123 && c !== 91) {
    let j = i;
    while (j < text.length && !',}] \t\r\n'.includes(text[j]!)) j++;
    return j;
  }
  let depth = 0;
  BRACKETS.lastIndex = i;
  for (;;) {
    const m = BRACKETS.exec(text);
    if (m === null) return text.length;
    const ch = m[0];
    if (ch === '"') BRACKETS.lastIndex = jsonStringEnd(text, m.index);
    else if (ch === '{' || ch === '[') depth++;
    else if (--depth === 0) return m.index + 1;
  }
}

/**
 * Offsets of every object member (its key) and array element (its value) in valid JSON text, by the JSON path this engine's diagnostics use
 * (`a.b[0].c`; the document itself is `''`). Used to give diagnostics a line and column. Iterative. With `wanted`
 * (a set closed under parents: `a.b` implies `a` and `''`), values outside it are skipped unread, so the cost is
 * one pass over the text plus the paths that matter.
 */
export function jsonPathOffsets(text: string, wanted?: ReadonlySet<string>): Map<string, number> {
  const out = new Map<string, number>();
  // frames: container kind, path of the container, next array index, pending key
  const stack: { kind: '{' | '['; path: string; index: number; key?: string }[] = [];
  let i = 0;
  const n = text.length;
  const ws = (): void => {
    while (i < n && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const readString = (): string => {
    const start = i;
    i = jsonStringEnd(text, i);
    const raw = text.slice(start + 1, i - 1);
    if (!raw.includes('\\')) return raw;
    try {
      return JSON.parse(text.slice(start, i)) as string;
    } catch (e) {
      if (e instanceof SyntaxError) return ''; // a bad escape: the key cannot be a diagnostic's path anyway
      throw e;
    }
  };
  const childPath = (): string => {
    const top = stack[stack.length - 1];
    if (!top) return '';
    if (top.kind === '[') return `${top.path}[${top.index}]`;
    return top.path ? `${top.path}.${top.key ?? ''}` : (top.key ?? '');
  };
  let expectKey = false;
  while (i < n) {
    ws();
    if (i >= n) break;
    const c = text[i]!;
    if (expectKey) {
      if (c === '}') {
        stack.pop();
        i++;
        expectKey = false;
        continue;
      }
      if (c === '"') {
        const at = i;
        const key = readString();
        stack[stack.length - 1]!.key = key;
        const p = childPath();
        if (!out.has(p)) out.set(p, at);
        ws();
        i++; // colon
        expectKey = false;
        continue;
      }
      return out; // not valid JSON: stop
    }
    if (c === ',') {
      i++;
      const top = stack[stack.length - 1];
      if (top?.kind === '[') top.index++;
      else if (top) expectKey = true;
      continue;
    }
    if (c === '}' || c === ']') {
      stack.pop();
      i++;
      continue;
    }
    const p = childPath();
    if (!out.has(p)) out.set(p, i); // object members keep their key's position
    if (wanted !== undefined && !wanted.has(p)) {
      i = jsonValueEnd(text, i);
      continue;
    }
    if (c === '{') {
      stack.push({ kind: '{', path: p, index: 0 });
      i++;
      expectKey = true;
    } else if (c === '[') {
      stack.push({ kind: '[', path: p, index: 0 });
      i++;
    } else if (c === '"') readString();
    else {
      while (i < n && !',}] \t\r\n'.includes(text[i]!)) i++;
    }
  }
  return out;
}

/** The paths of diagnostics that need a position, with every parent path (what locateDiagnostics may look up). */
function pathsAndParents(diagnostics: readonly { readonly path?: string; readonly position?: unknown }[]): Set<string> {
  const out = new Set<string>(['']);
  for (const d of diagnostics) {
    if (d.path === undefined || d.position !== undefined) continue;
    for (let p = d.path; p !== '' && !out.has(p); ) {
      out.add(p);
      const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
      p = cut < 0 ? '' : p.slice(0, cut);
    }
  }
  return out;
}

/** Converts a character offset to a 1-based line and column. */
function position(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let last = -1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    last = i;
  }
  return { line, col: offset - last };
}

/**
 * Adds line:col to diagnostics that have a JSON path but no position, by locating the path (or its nearest
 * existing parent) in the JSON text they came from. Texts over 5 MB are left alone (positions are a convenience).
 */
export function locateDiagnostics<D extends { readonly path?: string; readonly position?: { line: number; col: number } }>(
  diagnostics: readonly D[],
  text: string,
): D[] {
  if (text.length > 5_000_000 || !diagnostics.some((d) => d.path !== undefined && d.position === undefined)) return [...diagnostics];
  const offsets = jsonPathOffsets(text, pathsAndParents(diagnostics));
  return diagnostics.map((d) => {
    if (d.path === undefined || d.position !== undefined) return d;
    let p = d.path;
    for (;;) {
      const off = offsets.get(p);
      if (off !== undefined) return { ...d, position: position(text, off) };
      if (p === '') return d;
      const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
      p = cut < 0 ? '' : p.slice(0, cut);
    }
  });
}
