/**
 * Finds where JSON text stops being valid, for error positions (V8's JSON.parse messages do not always
 * carry one). Iterative, so deep nesting cannot overflow the stack.
 */

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
    i++; // opening quote
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 34) {
        i++;
        return true;
      }
      if (c < 0x20) return false;
      if (c === 92) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return false;
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else return false;
      } else i++;
    }
    return false;
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
