/**
 * A deliberately small reader for the HCL the Terraform emitter writes (formatted by `terraform fmt`): top-level
 * blocks with their labels, their direct attributes as raw text, and every reference in their bodies. Enough
 * for the contract tests to check that names appear once and references resolve, without an HCL parser.
 */

/** One top-level block. */
export interface ScannedBlock {
  readonly file: string;
  readonly type: string;
  readonly labels: readonly string[];
  /** Direct (depth 1) attributes: name → raw expression text of their first line. */
  readonly attrs: Readonly<Record<string, string>>;
  /** The whole block text. */
  readonly text: string;
}

/** Scans the top-level blocks of one file. */
export function scanHcl(file: string, text: string): ScannedBlock[] {
  const blocks: ScannedBlock[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^([a-z_]+)((?: "[^"]*")*) \{$/.exec(lines[i]!);
    if (!m) continue;
    const labels = [...m[2]!.matchAll(/"([^"]*)"/g)].map((x) => x[1]!);
    const attrs: Record<string, string> = {};
    let j = i + 1;
    for (; j < lines.length && lines[j] !== '}'; j++) {
      const a = /^ {2}([A-Za-z_][A-Za-z0-9_]*)\s*= (.*)$/.exec(lines[j]!);
      if (a) attrs[a[1]!] = a[2]!;
    }
    blocks.push({ file, type: m[1]!, labels, attrs, text: lines.slice(i, j + 1).join('\n') });
    i = j;
  }
  return blocks;
}

/** The string value of a raw attribute (`"x"` → `x`), or undefined when it is not a plain string literal. */
export function stringValue(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const m = /^"((?:[^"\\]|\\.)*)"$/.exec(raw);
  return m ? JSON.parse(`"${m[1]!}"`) : undefined;
}

/** Resource/data references (`aws_x.y`, `data.aws_x.y`), provider references (`aws.x`) and `var.x` in a text. */
export function referencesIn(text: string): { resources: string[]; data: string[]; providers: string[]; vars: string[] } {
  // Strip string literals' escaped interpolations (`$${...}`) so IAM policy variables are not read as references.
  const t = text.replace(/\$\$\{[^}]*\}/g, '');
  const resources = [...t.matchAll(/(?<![.\w])(aws_[a-z0-9_]+)\.([a-z0-9_]+)\b/g)].map((m) => `${m[1]}.${m[2]}`);
  const data = [...t.matchAll(/\bdata\.(aws_[a-z0-9_]+)\.([a-z0-9_]+)/g)].map((m) => `${m[1]}.${m[2]}`);
  const providers = [...t.matchAll(/provider\s*= aws\.([a-z0-9_]+)/g)].map((m) => m[1]!);
  const vars = [...t.matchAll(/\bvar\.([a-z0-9_]+)/g)].map((m) => m[1]!);
  return { resources, data, providers, vars };
}
