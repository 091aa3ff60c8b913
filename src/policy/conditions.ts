/**
 * Condition operators (IAM User Guide: "IAM JSON policy elements: Condition operators",
 * "Multivalued context keys", "Condition with multiple context keys or values").
 *
 * - Several operators / several keys in one Condition block: all must be true (AND).
 * - Several values for one key: any may match (OR). For negated operators (`StringNotEquals`, `NotIpAddress`, …)
 *   the test is "matches none of the values".
 * - Missing key: positive operators are false, negated operators are true, `...IfExists` is true,
 *   `ForAllValues:` is true, `ForAnyValue:` is false, `Null` tests exactly this.
 * - Key names match case-insensitively; String values case-sensitively unless `...IgnoreCase`.
 */
import { compilePattern, type Context, type Matcher } from './pattern.js';
import type { ConditionClause } from './types.js';

/** Base operators and whether they are negated forms. */
export const BASE_OPERATORS: ReadonlyMap<string, { family: Family; negated: boolean }> = new Map([
  ['StringEquals', { family: 'string', negated: false }],
  ['StringNotEquals', { family: 'string', negated: true }],
  ['StringEqualsIgnoreCase', { family: 'stringIc', negated: false }],
  ['StringNotEqualsIgnoreCase', { family: 'stringIc', negated: true }],
  ['StringLike', { family: 'stringLike', negated: false }],
  ['StringNotLike', { family: 'stringLike', negated: true }],
  ['NumericEquals', { family: 'numEq', negated: false }],
  ['NumericNotEquals', { family: 'numEq', negated: true }],
  ['NumericLessThan', { family: 'numLt', negated: false }],
  ['NumericLessThanEquals', { family: 'numLe', negated: false }],
  ['NumericGreaterThan', { family: 'numGt', negated: false }],
  ['NumericGreaterThanEquals', { family: 'numGe', negated: false }],
  ['DateEquals', { family: 'dateEq', negated: false }],
  ['DateNotEquals', { family: 'dateEq', negated: true }],
  ['DateLessThan', { family: 'dateLt', negated: false }],
  ['DateLessThanEquals', { family: 'dateLe', negated: false }],
  ['DateGreaterThan', { family: 'dateGt', negated: false }],
  ['DateGreaterThanEquals', { family: 'dateGe', negated: false }],
  ['Bool', { family: 'bool', negated: false }],
  ['BinaryEquals', { family: 'binary', negated: false }],
  ['IpAddress', { family: 'ip', negated: false }],
  ['NotIpAddress', { family: 'ip', negated: true }],
  ['ArnEquals', { family: 'arn', negated: false }],
  ['ArnLike', { family: 'arn', negated: false }],
  ['ArnNotEquals', { family: 'arn', negated: true }],
  ['ArnNotLike', { family: 'arn', negated: true }],
  ['Null', { family: 'null', negated: false }],
]);

type Family =
  | 'string' | 'stringIc' | 'stringLike' | 'numEq' | 'numLt' | 'numLe' | 'numGt' | 'numGe'
  | 'dateEq' | 'dateLt' | 'dateLe' | 'dateGt' | 'dateGe' | 'bool' | 'binary' | 'ip' | 'arn' | 'null';

/** Splits `ForAnyValue:StringLikeIfExists` into its parts; `undefined` base when unknown. */
export function splitOperator(op: string): { setOperator?: 'ForAllValues' | 'ForAnyValue'; base: string; ifExists: boolean; known: boolean } {
  let rest = op;
  let setOperator: 'ForAllValues' | 'ForAnyValue' | undefined;
  if (rest.startsWith('ForAllValues:')) {
    setOperator = 'ForAllValues';
    rest = rest.slice('ForAllValues:'.length);
  } else if (rest.startsWith('ForAnyValue:')) {
    setOperator = 'ForAnyValue';
    rest = rest.slice('ForAnyValue:'.length);
  }
  let ifExists = false;
  if (rest.endsWith('IfExists') && rest !== 'IfExists') {
    ifExists = true;
    rest = rest.slice(0, -'IfExists'.length);
  }
  const known = BASE_OPERATORS.has(rest) && !(rest === 'Null' && (ifExists || setOperator !== undefined));
  return setOperator ? { setOperator, base: rest, ifExists, known } : { base: rest, ifExists, known };
}

/** Every operator spelling we accept, for "did you mean" suggestions. */
export function allOperatorNames(): string[] {
  const out: string[] = [];
  for (const b of BASE_OPERATORS.keys()) {
    out.push(b);
    if (b !== 'Null') out.push(`${b}IfExists`);
  }
  return out;
}

/** A condition clause compiled to a predicate over a context. */
export type CompiledCondition = (ctx: Context) => boolean;

/** Parses a date as ISO 8601 or epoch seconds; NaN when it is neither. */
export function parseDate(s: string): number {
  if (/^-?\d+(\.\d+)?$/.test(s)) return Number(s) * 1000;
  if (!/^\d{4}-\d{2}-\d{2}/.test(s)) return NaN;
  // a date-time without a zone is read as UTC, never as the machine's local time
  const zoned = /T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(s) ? `${s}Z` : s;
  return Date.parse(zoned);
}

/** Decimal numbers only (no hex, no `Infinity`), as the Numeric operators document. */
export function parseNumber(s: string): number {
  return /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(s) ? Number(s) : NaN;
}

/** An IPv4/IPv6 CIDR as a bigint range; undefined when malformed. */
export interface Cidr {
  readonly v6: boolean;
  readonly net: bigint;
  readonly mask: bigint;
}

/** Parses an IPv4 or IPv6 address to a bigint, or undefined. */
export function parseIp(s: string): { v6: boolean; n: bigint } | undefined {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(s)) {
    let n = 0n;
    for (const p of s.split('.')) {
      const b = Number(p);
      if (b > 255) return undefined;
      n = (n << 8n) | BigInt(b);
    }
    return { v6: false, n };
  }
  if (!s.includes(':') || !/^[0-9A-Fa-f:.]+$/.test(s)) return undefined;
  // IPv6, optionally ending in an embedded IPv4 address (::ffff:1.2.3.4): rewrite it as two hex groups
  let text = s;
  const lastColon = text.lastIndexOf(':');
  const maybeV4 = text.slice(lastColon + 1);
  if (maybeV4.includes('.')) {
    const v4 = parseIp(maybeV4);
    if (!v4 || v4.v6) return undefined;
    text = `${text.slice(0, lastColon + 1)}${(v4.n >> 16n).toString(16)}:${(v4.n & 0xffffn).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const parse = (h: string): bigint[] | undefined => {
    if (h === '') return [];
    const out: bigint[] = [];
    for (const g of h.split(':')) {
      if (!/^[0-9A-Fa-f]{1,4}$/.test(g)) return undefined;
      out.push(BigInt(parseInt(g, 16)));
    }
    return out;
  };
  const a = parse(halves[0]!);
  const b = halves.length === 2 ? parse(halves[1]!) : [];
  if (!a || !b) return undefined;
  const groups = halves.length === 2 ? 8 - a.length - b.length : 0;
  if (halves.length === 2 && groups < 1) return undefined;
  const all = [...a, ...Array<bigint>(Math.max(0, groups)).fill(0n), ...b];
  if (all.length !== 8) return undefined;
  let n = 0n;
  for (const g of all) n = (n << 16n) | g;
  return { v6: true, n };
}

/** Parses `a.b.c.d/len` or `v6/len` (a bare address is a /32 or /128). */
export function parseCidr(s: string): Cidr | undefined {
  const [addr, lenText, extra] = s.split('/');
  if (extra !== undefined || addr === undefined) return undefined;
  const ip = parseIp(addr);
  if (!ip) return undefined;
  const bits = ip.v6 ? 128 : 32;
  const len = lenText === undefined ? bits : /^\d{1,3}$/.test(lenText) ? Number(lenText) : NaN;
  if (!(len >= 0 && len <= bits)) return undefined;
  const mask = len === 0 ? 0n : ((1n << BigInt(len)) - 1n) << BigInt(bits - len);
  return { v6: ip.v6, net: ip.n & mask, mask };
}

/** Builds `(ctxValue) => matches any policy value` for one clause; policy values resolve variables per context. */
function valueTester(clause: ConditionClause, family: Family, variables: boolean): (v: string, ctx: Context) => boolean {
  const vals = clause.values;
  switch (family) {
    case 'string': {
      const ms = vals.map((x) => compilePattern(x, 'string', variables, false));
      if (!ms.some((m) => m.hasVariables)) {
        const set = new Set(vals.map((x) => ms[vals.indexOf(x)]!.literal(EMPTY)!));
        return (v) => set.has(v);
      }
      return (v, ctx) => ms.some((m) => m.literal(ctx) === v);
    }
    case 'stringIc': {
      const ms = vals.map((x) => compilePattern(x, 'string', variables, false));
      return (v, ctx) => {
        const lv = v.toLowerCase();
        return ms.some((m) => m.literal(ctx)?.toLowerCase() === lv);
      };
    }
    case 'stringLike': {
      const ms: Matcher[] = vals.map((x) => compilePattern(x, 'string', variables));
      return (v, ctx) => ms.some((m) => m.test(v, ctx));
    }
    case 'arn': {
      const ms: Matcher[] = vals.map((x) => compilePattern(x, 'arn', variables));
      return (v, ctx) => ms.some((m) => m.test(v, ctx));
    }
    case 'numEq': case 'numLt': case 'numLe': case 'numGt': case 'numGe': {
      const ns = vals.map(parseNumber);
      return (v) => {
        const x = parseNumber(v);
        if (Number.isNaN(x)) return false;
        return ns.some((n) => !Number.isNaN(n) && cmpOk(family, x, n));
      };
    }
    case 'dateEq': case 'dateLt': case 'dateLe': case 'dateGt': case 'dateGe': {
      const ds = vals.map(parseDate);
      return (v) => {
        const x = parseDate(v);
        if (Number.isNaN(x)) return false;
        return ds.some((d) => !Number.isNaN(d) && cmpOk(family, x, d));
      };
    }
    case 'bool': {
      const bs = new Set<string>(vals.map((x) => x.toLowerCase()).filter((x) => x === 'true' || x === 'false'));
      return (v) => bs.has(v.toLowerCase());
    }
    case 'binary': {
      const set = new Set(vals);
      return (v) => set.has(v);
    }
    case 'ip': {
      const cidrs = vals.map(parseCidr).filter((c): c is Cidr => c !== undefined);
      return (v) => {
        const ip = parseIp(v);
        if (!ip) return false;
        return cidrs.some((c) => c.v6 === ip.v6 && (ip.n & c.mask) === c.net);
      };
    }
    case 'null':
      return () => false;
  }
}

const EMPTY: Context = new Map();

function cmpOk(family: Family, x: number, y: number): boolean {
  switch (family) {
    case 'numEq': case 'dateEq': return x === y;
    case 'numLt': case 'dateLt': return x < y;
    case 'numLe': case 'dateLe': return x <= y;
    case 'numGt': case 'dateGt': return x > y;
    default: return x >= y;
  }
}

/** Compiles one clause. `variables` is false for Version 2008-10-17 documents (no policy variables). */
export function compileCondition(clause: ConditionClause, variables: boolean): CompiledCondition {
  const info = BASE_OPERATORS.get(clause.base);
  const key = clause.key.toLowerCase();
  if (!info) return () => false; // validation reports unknown operators; an unknown operator never matches
  if (info.family === 'null') {
    // Null: "true" means the key is absent, "false" means present. Several values: any.
    const want = clause.values.map((v) => v.toLowerCase());
    return (ctx) => {
      const v = ctx.get(key);
      const absent = v === undefined || v.length === 0;
      return want.some((w) => (w === 'true' ? absent : w === 'false' ? !absent : false));
    };
  }
  // Variables only substitute in String and ARN operators.
  const vars = variables && (info.family === 'string' || info.family === 'stringIc' || info.family === 'stringLike' || info.family === 'arn');
  const anyMatch = valueTester(clause, info.family, vars);
  const negated = info.negated;
  const ifExists = clause.ifExists;
  switch (clause.setOperator) {
    case 'ForAllValues':
      // every request value passes; true for a missing key or an empty set
      return (ctx) => {
        const v = ctx.get(key);
        if (v === undefined || v.length === 0) return true;
        for (const x of v) if (anyMatch(x, ctx) === negated) return false;
        return true;
      };
    case 'ForAnyValue':
      // at least one request value passes; false for a missing key or an empty set (true with ...IfExists)
      return (ctx) => {
        const v = ctx.get(key);
        if (v === undefined || v.length === 0) return ifExists;
        for (const x of v) if (anyMatch(x, ctx) !== negated) return true;
        return false;
      };
    default:
      return (ctx) => {
        const v = ctx.get(key);
        if (v === undefined || v.length === 0) return ifExists || negated;
        let hit = false;
        for (const x of v) {
          if (anyMatch(x, ctx)) {
            hit = true;
            break;
          }
        }
        return negated ? !hit : hit;
      };
  }
}
