/**
 * Parses and validates IAM policy documents (IAM User Guide: "IAM JSON policy element reference",
 * "Grammar of the IAM JSON policy language"; AWS Organizations: "SCP syntax", "RCP syntax").
 *
 * Never throws and never recurses deeper than the grammar: any JSON value, any size, gives a policy
 * (when there are no errors) and diagnostics with a JSON path and a stable BH3xxx code.
 */
import { error, fail, hasErrors, ok, warning, type Diagnostic, type Result } from '../diagnostics/diagnostic.js';
import type { DiagnosticCode } from '../diagnostics/codes.js';
import { didYouMean } from '../util/suggest.js';
import { isSerialiseError, messageValue } from '../util/message-value.js';
import { allOperatorNames, BASE_OPERATORS, parseCidr, parseDate, parseNumber, splitOperator } from './conditions.js';
import { NO_CATALOG, type PolicyCatalog } from './catalog-port.js';
import { policySizeDiagnostic, type PolicySizeKind } from './limits.js';
import { jsonErrorOffset } from './json-locate.js';
import { variablesIn } from './pattern.js';
import { NO_DIAGNOSTICS, type ConditionClause, type Policy, type PolicyType, type PrincipalSpec, type Statement } from './types.js';

/** Options for parsing. */
export interface ParseOptions {
  /** Action/condition-key knowledge for "unknown action" warnings; default: none (no such warnings). */
  readonly catalog?: PolicyCatalog;
  /** Override of the size limit in characters (e.g. 10,240 for a role's inline policies, 32,768 for KMS key policies). */
  readonly maxSize?: number;
  /**
   * Who manages the document: `aws` for an AWS managed policy, which AWS writes and stores whatever its size
   * (ReadOnlyAccess is over 90,000 characters), so no size limit applies; default `customer`.
   */
  readonly managed?: 'aws' | 'customer';
  /** What the document is stored as, for its size limit (default: the policy type); `aws-managed` has no size limit. */
  readonly sizeKind?: PolicySizeKind;
}

/** Result of parsing: the policy when there are no errors (with any warnings), else every diagnostic found. */
export type ParseResult = Result<Policy>;

const TOP_KEYS = ['Version', 'Id', 'Statement'];
const STATEMENT_KEYS = ['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition'];
const PRINCIPAL_KEYS = ['AWS', 'Service', 'Federated', 'CanonicalUser'];
const VERSIONS = ['2012-10-17', '2008-10-17'];
const PARTITIONS = /^(\*|aws|aws-cn|aws-us-gov|aws-iso|aws-iso-[a-z]|aws-eusc)$/;
const IAM_STORED: ReadonlySet<PolicyType> = new Set(['identity', 'boundary', 'trust', 'session']);
const NO_PRINCIPAL: ReadonlySet<PolicyType> = new Set(['identity', 'boundary', 'session', 'scp']);
const NEEDS_RESOURCE: ReadonlySet<PolicyType> = new Set(['identity', 'boundary', 'session', 'scp']);

/** Maximum text we read at all (10 MiB); anything bigger is refused with a diagnostic before parsing. */
export const MAX_INPUT_CHARS = 10 * 1024 * 1024;

/** Converts a character offset in `text` to a 1-based line and column. */
export function offsetToPosition(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let col = 1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      col = 1;
    } else col++;
  }
  return { line, col };
}

/** Parses JSON text, mapping a syntax error to BH3001 with line and column. */
export function parseJsonText(text: string): Result<unknown> {
  if (text.length > MAX_INPUT_CHARS) {
    return fail([error('BH3002', `input is ${text.length} characters, more than the ${MAX_INPUT_CHARS} this tool reads; split it or shrink it`)]);
  }
  try {
    return ok(JSON.parse(text) as unknown, NO_DIAGNOSTICS);
  } catch (e) {
    // JSON.parse throws SyntaxError for bad text (and RangeError when nesting exhausts the stack); nothing else
    if (!(e instanceof SyntaxError) && !(e instanceof RangeError)) throw e;
    const at = jsonErrorOffset(text);
    const near = at >= 0 && at < text.length ? `unexpected \`${text.slice(at, at + 12).replace(/\s+/g, ' ')}\`` : at >= 0 ? 'unexpected end of input' : e.message.split('\n')[0]!.toLowerCase();
    const d = error('BH3001', `malformed JSON: ${near}; fix the syntax`);
    if (at >= 0) return fail([{ ...d, position: offsetToPosition(text, at) }]);
    return fail([d]);
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function typeName(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

/** A document given as JSON text is parsed; anything else is taken as the JSON value already. */
function jsonValueOf(input: unknown): Result<unknown> {
  return typeof input === 'string' ? parseJsonText(input) : ok(input);
}

/**
 * Parses a policy document given as a JSON value or JSON text, validating it for `type`.
 * Returns the policy only when there are no errors.
 */
export function parsePolicy(input: unknown, type: PolicyType, options: ParseOptions = {}): ParseResult {
  const value = jsonValueOf(input);
  if (!value.ok) return value;
  const p = new Parser(type, options.catalog ?? NO_CATALOG);
  const policy = p.document(value.value, options.maxSize, options.managed === 'aws' ? 'aws-managed' : (options.sizeKind ?? type));
  return hasErrors(p.diags) ? fail(p.diags) : ok(policy, p.diags);
}


/**
 * Error codes that leave a document's meaning intact, so the engine still evaluates it: AWS's size, character and
 * `Sid` rules (a document AWS stored passed its own checks; ours are design advice), and an action or resource
 * entry that is not well-formed (it matches as written, i.e. no real action or resource, as AWS matches it).
 */
const MEANING_KEPT: ReadonlySet<DiagnosticCode> = new Set(['BH3002', 'BH3011', 'BH3014', 'BH3018', 'BH3020', 'BH3025']);

/** A statement the engine cannot evaluate, with the first error that says why. */
export interface LeftOutStatement {
  readonly index: number;
  readonly sid?: string;
  readonly reason: Diagnostic;
}

/** A document as the engine evaluates it: every statement it can evaluate, and the ones it had to leave out. */
export interface EvaluablePolicy {
  readonly policy: Policy;
  readonly leftOut: readonly LeftOutStatement[];
}

/**
 * Parses a stored (live or AWS managed) document for evaluation: what AWS stores, the engine evaluates. No size
 * limit applies and errors in {@link MEANING_KEPT} do not stop evaluation; a statement with any other error is
 * left out and named in `leftOut`. Fails only when the document as a whole cannot be read (not an object, no
 * `Statement`, an unknown top-level element, a bad `Version`). Warnings come with the value.
 */
export function parseForEvaluation(input: unknown, type: PolicyType, options: Pick<ParseOptions, 'catalog'> = {}): Result<EvaluablePolicy> {
  const value = jsonValueOf(input);
  if (!value.ok) return value;
  const p = new Parser(type, options.catalog ?? NO_CATALOG);
  // what AWS stores is evaluated whatever its size: no size limit for stored documents
  const policy = p.document(value.value, undefined, 'aws-managed');
  const blocking = (d: Diagnostic): boolean => d.severity === 'error' && !MEANING_KEPT.has(d.code);
  if (p.diags.some((d) => blocking(d) && !p.statementOf.has(d))) return fail(p.diags);
  const leftOut = new Map<number, LeftOutStatement>();
  for (const d of p.diags) {
    const i = p.statementOf.get(d);
    if (i === undefined || !blocking(d) || leftOut.has(i)) continue;
    const sid = policy.statements.find((st) => st.index === i)?.sid;
    leftOut.set(i, { index: i, ...(sid !== undefined ? { sid } : {}), reason: d });
  }
  const kept: Policy = { ...policy, statements: policy.statements.filter((st) => !leftOut.has(st.index)) };
  const warnings = p.diags.filter((d) => d.severity === 'warning');
  return ok({ policy: kept, leftOut: [...leftOut.values()].sort((a, b) => a.index - b.index) }, warnings);
}

/** Validates a policy document for the planner and emitters: diagnostics only. */
export function validatePolicyDocument(input: unknown, type: PolicyType, options: ParseOptions = {}): readonly Diagnostic[] {
  return parsePolicy(input, type, options).diagnostics;
}

class Parser {
  readonly diags: Diagnostic[] = [];
  /** The statement (index) each diagnostic raised while parsing a statement belongs to. */
  readonly statementOf = new Map<Diagnostic, number>();
  private variables = true;
  constructor(
    private readonly type: PolicyType,
    private readonly catalog: PolicyCatalog,
  ) {}

  private err(code: DiagnosticCode, msg: string, path: string): void {
    this.diags.push(error(code, msg, path));
  }
  private warn(code: DiagnosticCode, msg: string, path: string): void {
    this.diags.push(warning(code, msg, path));
  }

  document(v: unknown, maxSize: number | undefined, sizeKind: PolicySizeKind): Policy {
    const empty: Policy = { type: this.type, statements: [] };
    if (!isObject(v)) {
      this.err('BH3003', `a policy document must be a JSON object, not ${typeName(v)} \`${messageValue(v)}\``, '');
      return empty;
    }
    this.size(v, maxSize, sizeKind);
    for (const k of Object.keys(v)) {
      if (!TOP_KEYS.includes(k)) this.err('BH3004', `unknown policy element \`${k}\`${didYouMean(k, TOP_KEYS)}; allowed: Version, Id, Statement`, k);
    }
    let version: string | undefined;
    if (v['Version'] === undefined) {
      if (this.type === 'rcp') this.err('BH3005', 'a resource control policy needs `"Version": "2012-10-17"`', 'Version');
      else this.warn('BH3005', 'no `Version`: AWS uses 2008-10-17 and ignores policy variables; add `"Version": "2012-10-17"`', 'Version');
      this.variables = false;
    } else if (typeof v['Version'] !== 'string' || !VERSIONS.includes(v['Version'])) {
      this.err('BH3005', `\`Version\` \`${messageValue(v['Version'])}\` is not a policy language version; use \`2012-10-17\``, 'Version');
    } else {
      version = v['Version'];
      if (version === '2008-10-17') {
        this.variables = false;
        if (this.type === 'rcp') this.err('BH3005', 'a resource control policy needs `"Version": "2012-10-17"`', 'Version');
      }
    }
    const id = v['Id'];
    if (id !== undefined && typeof id !== 'string') this.err('BH3003', `\`Id\` must be a string, not ${typeName(id)}`, 'Id');
    const raw = v['Statement'];
    let list: unknown[];
    if (raw === undefined) {
      this.err('BH3006', 'the policy has no `Statement`; add one statement object or an array of them', 'Statement');
      list = [];
    } else if (Array.isArray(raw)) {
      list = raw;
      if (raw.length === 0) this.warn('BH3006', '`Statement` is empty, so the policy allows and denies nothing', 'Statement');
    } else if (isObject(raw)) {
      list = [raw];
    } else {
      this.err('BH3003', `\`Statement\` must be an object or an array of objects, not ${typeName(raw)}`, 'Statement');
      list = [];
    }
    const statements: Statement[] = [];
    const sids = new Map<string, number>();
    list.forEach((s, i) => {
      const path = Array.isArray(raw) ? `Statement[${i}]` : 'Statement';
      const before = this.diags.length;
      const st = this.statement(s, i, path);
      for (const d of this.diags.slice(before)) this.statementOf.set(d, i);
      if (st?.sid !== undefined && st.sid !== '') {
        const prev = sids.get(st.sid);
        if (prev !== undefined) this.err('BH3018', `duplicate \`Sid\` \`${st.sid}\` (also in statement ${prev}); give each statement its own Sid`, `${path}.Sid`);
        else sids.set(st.sid, i);
      }
      if (st) statements.push(st);
    });
    const out: Policy = { type: this.type, statements };
    return { ...out, ...(version !== undefined ? { version } : {}), ...(typeof id === 'string' ? { id } : {}) };
  }

  private size(v: Record<string, unknown>, maxSize: number | undefined, sizeKind: PolicySizeKind): void {
    let text: string;
    try {
      text = JSON.stringify(v);
    } catch (e) {
      if (!isSerialiseError(e)) throw e;
      this.err('BH3021', 'the document cannot be serialised as JSON (cyclic or nested too deeply); give a plain JSON document', '');
      return;
    }
    const d = policySizeDiagnostic(text.length, sizeKind, maxSize);
    if (d) this.diags.push({ ...d, path: '' });
    if (IAM_STORED.has(this.type)) {
      // IAM accepts TAB, LF, CR and U+0020–U+00FF only (IAM API reference, PolicyDocument pattern)
      const m = /[^\t\n\r\u0020-\u00ff]/u.exec(text);
      if (m) {
        const cp = m[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
        this.err('BH3020', `character U+${cp} \`${m[0]}\` is not allowed in IAM policies (only tab, newline and U+0020–U+00FF); replace it`, '');
      }
    }
  }

  private statement(s: unknown, index: number, path: string): Statement | undefined {
    if (!isObject(s)) {
      this.err('BH3003', `a statement must be a JSON object, not ${typeName(s)} \`${messageValue(s)}\``, path);
      return undefined;
    }
    for (const k of Object.keys(s)) {
      if (!STATEMENT_KEYS.includes(k)) {
        this.err('BH3004', `unknown statement element \`${k}\`${didYouMean(k, STATEMENT_KEYS)}; element names are case-sensitive`, `${path}.${k}`);
      }
    }
    const t = this.type;
    // Sid
    let sid: string | undefined;
    if (s['Sid'] !== undefined) {
      if (typeof s['Sid'] !== 'string') this.err('BH3003', `\`Sid\` must be a string, not ${typeName(s['Sid'])}`, `${path}.Sid`);
      else {
        sid = s['Sid'];
        if (IAM_STORED.has(t) && !/^[A-Za-z0-9]*$/.test(sid)) {
          this.err('BH3025', `\`Sid\` \`${messageValue(sid)}\` must contain only letters and digits in IAM policies; remove other characters`, `${path}.Sid`);
        }
      }
    }
    // Effect
    const effRaw = s['Effect'];
    let effect: 'Allow' | 'Deny' = 'Deny';
    if (effRaw === 'Allow' || effRaw === 'Deny') effect = effRaw;
    else if (effRaw === undefined) this.err('BH3007', 'the statement has no `Effect`; add `"Effect": "Allow"` or `"Effect": "Deny"`', `${path}.Effect`);
    else this.err('BH3007', `\`Effect\` \`${messageValue(effRaw)}\` is not valid; use \`Allow\` or \`Deny\` (case-sensitive)`, `${path}.Effect`);
    // Principal / NotPrincipal
    const hasP = s['Principal'] !== undefined;
    const hasNP = s['NotPrincipal'] !== undefined;
    let principal: PrincipalSpec | undefined;
    let notPrincipal: PrincipalSpec | undefined;
    if (hasP && hasNP) this.err('BH3010', 'a statement cannot have both `Principal` and `NotPrincipal`; keep one', path);
    if (NO_PRINCIPAL.has(t)) {
      if (hasP) this.err('BH3019', `\`Principal\` is not allowed in a ${typeLabel(t)}; remove it (the policy applies to the identity it is attached to)`, `${path}.Principal`);
      if (hasNP) this.err('BH3019', `\`NotPrincipal\` is not allowed in a ${typeLabel(t)}; remove it`, `${path}.NotPrincipal`);
    } else {
      if (!hasP && !hasNP) this.err('BH3010', `a ${typeLabel(t)} statement needs a \`Principal\`; add one`, `${path}.Principal`);
      if (hasP) principal = this.principal(s['Principal'], `${path}.Principal`);
      if (hasNP) {
        if (t === 'trust' || t === 'rcp') this.err('BH3019', `\`NotPrincipal\` is not allowed in a ${typeLabel(t)}; use \`Principal\` with a condition on \`aws:PrincipalArn\``, `${path}.NotPrincipal`);
        else if (effect === 'Allow') this.err('BH3010', '`NotPrincipal` works only with `"Effect": "Deny"`; use `Principal` for Allow', `${path}.NotPrincipal`);
        else {
          // IAM UG, "AWS JSON policy elements: NotPrincipal" (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html):
          // "We do not recommend the use of NotPrincipal for new resource-based policies ... We recommend using the
          // aws:PrincipalArn context key with ARN condition operators instead"; a Deny with NotPrincipal "will always
          // deny any IAM principal that has a permissions boundary policy attached"
          this.warn(
            'BH3010',
            '`NotPrincipal` is not recommended by AWS: it always denies principals with a permissions boundary, and sparing a role session needs its account, role and session ARNs; use `"Principal": "*"` with an `ArnNotEquals` condition on `aws:PrincipalArn` instead',
            `${path}.NotPrincipal`,
          );
        }
        notPrincipal = this.principal(s['NotPrincipal'], `${path}.NotPrincipal`);
      }
      if (t === 'rcp' && principal && !(principal.wildcard && principal.aws.length + principal.service.length + principal.federated.length + principal.canonicalUser.length === 0)) {
        this.err('BH3022', 'the `Principal` of a resource control policy must be `"*"`; narrow it with conditions instead', `${path}.Principal`);
      }
    }
    // Action / NotAction
    const hasA = s['Action'] !== undefined;
    const hasNA = s['NotAction'] !== undefined;
    if (hasA && hasNA) this.err('BH3008', 'a statement cannot have both `Action` and `NotAction`; keep one', path);
    if (!hasA && !hasNA) this.err('BH3008', 'the statement has no `Action` or `NotAction`; add the actions it covers', `${path}.Action`);
    if (t === 'rcp' && hasNA) this.err('BH3019', '`NotAction` is not allowed in a resource control policy; list the actions in `Action`', `${path}.NotAction`);
    const action = hasA ? this.actions(s['Action'], `${path}.Action`) : undefined;
    const notAction = hasNA ? this.actions(s['NotAction'], `${path}.NotAction`) : undefined;
    if (t === 'trust' && action) {
      action.forEach((a, i) => {
        if (!/^sts:(assumerole\w*|tagsession|setsourceidentity|setcontext|\*)$/i.test(a) && a !== '*') {
          this.warn('BH3019', `action \`${a}\` has no effect in a role trust policy; use \`sts:AssumeRole\`, \`sts:AssumeRoleWithSAML\`, \`sts:AssumeRoleWithWebIdentity\`, \`sts:TagSession\` or \`sts:SetSourceIdentity\``, `${path}.Action[${i}]`);
        }
      });
    }
    // Resource / NotResource
    const hasR = s['Resource'] !== undefined;
    const hasNR = s['NotResource'] !== undefined;
    if (hasR && hasNR) this.err('BH3009', 'a statement cannot have both `Resource` and `NotResource`; keep one', path);
    if (t === 'trust') {
      if (hasR || hasNR) this.err('BH3019', `\`${hasR ? 'Resource' : 'NotResource'}\` is not allowed in a role trust policy; the role itself is the resource, so remove it`, `${path}.${hasR ? 'Resource' : 'NotResource'}`);
    } else if (!hasR && !hasNR && NEEDS_RESOURCE.has(t)) {
      this.err('BH3009', `the statement has no \`Resource\` or \`NotResource\`; a ${typeLabel(t)} needs one (use \`"*"\` for all resources)`, `${path}.Resource`);
    }
    const resource = hasR && t !== 'trust' ? this.resources(s['Resource'], `${path}.Resource`) : undefined;
    const notResource = hasNR && t !== 'trust' ? this.resources(s['NotResource'], `${path}.NotResource`) : undefined;
    // Condition
    const condition = s['Condition'] === undefined ? [] : this.conditions(s['Condition'], `${path}.Condition`, action);
    if (t === 'rcp' && effect === 'Allow') {
      const full = action?.length === 1 && action[0] === '*' && resource?.length === 1 && resource[0] === '*' && condition.length === 0;
      if (!full) this.err('BH3022', 'resource control policies support only `"Effect": "Deny"` (Allow is reserved for RCPFullAWSAccess); turn this into a Deny', `${path}.Effect`);
    }
    const st: Statement = { index, effect, condition };
    return {
      ...st,
      ...(sid !== undefined ? { sid } : {}),
      ...(principal ? { principal } : {}),
      ...(notPrincipal ? { notPrincipal } : {}),
      ...(action ? { action } : {}),
      ...(notAction ? { notAction } : {}),
      ...(resource ? { resource } : {}),
      ...(notResource ? { notResource } : {}),
    };
  }

  /** A string or non-empty array of strings. */
  private strings(v: unknown, path: string, what: string): string[] {
    if (typeof v === 'string') return [v];
    if (Array.isArray(v)) {
      if (v.length === 0) this.err('BH3003', `\`${what}\` is an empty list; give at least one value`, path);
      const out: string[] = [];
      v.forEach((x, i) => {
        if (typeof x === 'string') out.push(x);
        else this.err('BH3003', `each \`${what}\` entry must be a string, not ${typeName(x)} \`${messageValue(x)}\``, `${path}[${i}]`);
      });
      return out;
    }
    this.err('BH3003', `\`${what}\` must be a string or an array of strings, not ${typeName(v)} \`${messageValue(v)}\``, path);
    return [];
  }

  private actions(v: unknown, path: string): string[] {
    const list = this.strings(v, path, path.endsWith('NotAction') ? 'NotAction' : 'Action');
    const many = Array.isArray(v);
    list.forEach((a, i) => {
      const p = many ? `${path}[${i}]` : path;
      if (a === '*') return;
      const m = /^([A-Za-z0-9*?-]+):([A-Za-z0-9*?_-]+)$/.exec(a);
      if (!m) {
        this.err('BH3011', `action \`${messageValue(a)}\` is not \`service:Action\` (e.g. \`s3:GetObject\`) or \`*\``, p);
        return;
      }
      const service = m[1]!.toLowerCase();
      const name = m[2]!;
      if (/[*?]/.test(service)) return;
      if (!this.catalog.serviceExists(service)) {
        const s = this.catalog.suggestService?.(service);
        this.warn('BH3012', `unknown service prefix \`${m[1]}\` in action \`${a}\`${s ? `; did you mean \`${s}\`?` : '; check the service prefix'}`, p);
        return;
      }
      if (/[*?]/.test(name)) {
        const ex = this.catalog.expandActionPattern?.(a);
        if (ex !== undefined && ex.length === 0) this.warn('BH3013', `action pattern \`${a}\` matches no known ${service} action; check the spelling`, p);
        return;
      }
      if (!this.catalog.actionExists(a)) {
        const s = this.catalog.suggestAction?.(a);
        this.warn('BH3013', `unknown action \`${a}\`${s ? `; did you mean \`${s}\`?` : `; check the ${service} action list`}`, p);
      }
    });
    return list;
  }

  private resources(v: unknown, path: string): string[] {
    const list = this.strings(v, path, path.endsWith('NotResource') ? 'NotResource' : 'Resource');
    const many = Array.isArray(v);
    list.forEach((r, i) => {
      const p = many ? `${path}[${i}]` : path;
      if (r === '*') return;
      const why = arnProblem(r);
      if (why) this.err('BH3014', `resource \`${messageValue(r)}\` is not a valid ARN (${why}); use \`arn:partition:service:region:account:resource\` or \`*\``, p);
      else if (r.split(':').slice(5).join(':') === '') {
        // AWS stores it (the AWS managed policy AmazonDevOpsGuruOrganizationsAccess has `arn:aws:organizations::*:`)
        // and matches it as written, so it matches only ARNs with an empty resource part: no resource at all
        this.warn('BH3014', `resource \`${messageValue(r)}\` has an empty resource part, so it matches no resource; name the resource (e.g. \`...:account/*\`) or use \`*\``, p);
      }
      this.checkVariables(r, p);
    });
    return list;
  }

  private checkVariables(s: string, path: string): void {
    if (!s.includes('${')) return;
    if (!this.variables) {
      this.warn('BH3024', `\`${messageValue(s)}\` contains \`\${...}\` but policy variables need \`"Version": "2012-10-17"\`; it is matched literally`, path);
      return;
    }
    const n = (s.match(/\$\{/g) ?? []).length;
    const special = (s.match(/\$\{[*?$]\}/g) ?? []).length;
    if (variablesIn(s).length + special < n) this.warn('BH3024', `\`${messageValue(s)}\` has a malformed policy variable; write \`\${key}\` or \`\${key, 'default'}\``, path);
  }

  private principal(v: unknown, path: string): PrincipalSpec {
    const spec = { wildcard: false, aws: [] as string[], service: [] as string[], federated: [] as string[], canonicalUser: [] as string[] };
    if (v === '*') return { ...spec, wildcard: true };
    if (!isObject(v)) {
      this.err('BH3010', `\`${path.split('.').pop()}\` must be \`"*"\` or an object with AWS, Service, Federated or CanonicalUser, not \`${messageValue(v)}\``, path);
      return spec;
    }
    for (const [k, raw] of Object.entries(v)) {
      if (!PRINCIPAL_KEYS.includes(k)) {
        this.err('BH3010', `unknown principal type \`${k}\`${didYouMean(k, PRINCIPAL_KEYS)}; use AWS, Service, Federated or CanonicalUser`, `${path}.${k}`);
        continue;
      }
      const list = this.strings(raw, `${path}.${k}`, k);
      const many = Array.isArray(raw);
      list.forEach((x, i) => {
        const p = many ? `${path}.${k}[${i}]` : `${path}.${k}`;
        if (x === '*') {
          if (k === 'AWS') spec.wildcard = true;
          else this.err('BH3023', `\`"${k}": "*"\` is not supported; use \`"Principal": "*"\` or name the ${k.toLowerCase()} principal`, p);
          return;
        }
        if (/[*?]/.test(x)) {
          this.err('BH3023', `principal \`${messageValue(x)}\` has a wildcard; principals can only be \`*\` or exact — match patterns with a condition on \`aws:PrincipalArn\``, p);
          return;
        }
        if (k === 'AWS') {
          if (/^\d{12}$/.test(x)) spec.aws.push(`arn:aws:iam::${x}:root`);
          else if (/^arn:[a-z-]+:(iam|sts)::\d{12}:[^\s]+$/.test(x)) spec.aws.push(x);
          else if (/^A[A-Z0-9]{15,}$/.test(x)) {
            this.warn('BH3010', `principal \`${x}\` looks like a unique id; AWS shows it when the named user or role was deleted — name a current principal`, p);
            spec.aws.push(x);
          } else this.err('BH3010', `AWS principal \`${messageValue(x)}\` is not an account id or IAM/STS ARN; use e.g. \`123456789012\` or \`arn:aws:iam::123456789012:role/name\``, p);
        } else if (k === 'Service') {
          if (!/^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$/.test(x)) this.warn('BH3010', `service principal \`${messageValue(x)}\` does not look like \`service.amazonaws.com\`; check it`, p);
          spec.service.push(x);
        } else if (k === 'Federated') spec.federated.push(x);
        else spec.canonicalUser.push(x);
      });
    }
    return spec;
  }

  private conditions(v: unknown, path: string, actions: readonly string[] | undefined): ConditionClause[] {
    if (!isObject(v)) {
      this.err('BH3016', `\`Condition\` must be an object of operators, not ${typeName(v)} \`${messageValue(v)}\``, path);
      return [];
    }
    const out: ConditionClause[] = [];
    const ops = allOperatorNames();
    for (const [op, block] of Object.entries(v)) {
      const p = `${path}.${op}`;
      const parts = splitOperator(op);
      if (!parts.known) {
        const bare = op.replace(/^(ForAllValues|ForAnyValue):/, '');
        this.err('BH3015', `unknown condition operator \`${op}\`${didYouMean(bare, ops)}; see the IAM condition operator list`, p);
        continue;
      }
      if (!isObject(block)) {
        this.err('BH3016', `the \`${op}\` block must be an object of condition keys, not ${typeName(block)} \`${messageValue(block)}\``, p);
        continue;
      }
      for (const [key, raw] of Object.entries(block)) {
        const kp = `${p}.${key}`;
        const vals: string[] = [];
        const list = Array.isArray(raw) ? raw : [raw];
        if (Array.isArray(raw) && raw.length === 0) this.err('BH3016', `condition key \`${key}\` has an empty list of values; give at least one`, kp);
        list.forEach((x, i) => {
          if (typeof x === 'string') vals.push(x);
          else if (typeof x === 'number' || typeof x === 'boolean') vals.push(String(x));
          else this.err('BH3016', `condition values must be strings, numbers or booleans, not ${typeName(x)} \`${messageValue(x)}\``, Array.isArray(raw) ? `${kp}[${i}]` : kp);
        });
        this.checkKey(key, kp, actions);
        this.checkValues(parts.base, key, vals, kp);
        const clause: ConditionClause = { operator: op, base: parts.base, ifExists: parts.ifExists, key, values: vals };
        out.push(parts.setOperator ? { ...clause, setOperator: parts.setOperator } : clause);
      }
    }
    return out;
  }

  private checkKey(key: string, path: string, actions: readonly string[] | undefined): void {
    // a service prefix, or a web identity provider's URL (`token.actions.githubusercontent.com:sub`,
    // `oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE:aud`): IAM User Guide, "IAM and AWS STS condition context keys",
    // section "Available keys for AWS web identity federation"
    const m = /^([A-Za-z0-9][A-Za-z0-9._/-]*):(.+)$/.exec(key);
    if (!m) {
      this.warn('BH3017', `condition key \`${messageValue(key)}\` has no service prefix; use e.g. \`aws:SourceIp\` or \`s3:prefix\``, path);
      return;
    }
    const prefix = m[1]!.toLowerCase();
    const known = this.catalog.conditionKeyKnown?.(key);
    if (known === false) this.warn('BH3017', `unknown condition key \`${key}\`; check its spelling in the service authorization reference`, path);
    // Keys of another service's prefix can apply (e.g. `saml:aud` for sts:AssumeRoleWithSAML): trust the reference first.
    const applies = this.catalog.keyAppliesToAction;
    if (known === true && applies && actions?.some((a) => !/[*?]/.test(a) && this.catalog.actionExists(a) && applies(key, a))) return;
    const provider = prefix.includes('.'); // a web identity provider: its keys belong to no service's actions
    if (prefix !== 'aws' && !provider && actions && !actions.some((a) => a === '*' || a.toLowerCase().startsWith(`${prefix}:`) || /^[^:]*[*?][^:]*:/.test(a))) {
      this.warn('BH3017', `condition key \`${key}\` does not apply to any action in this statement (none is a ${prefix} action), so the condition never has a value`, path);
    } else if (known === true && actions && actions.length > 0 && this.catalog.keyAppliesToAction && actions.every((a) => !/[*?]/.test(a) && this.catalog.actionExists(a))) {
      // concrete, known actions only: the Service Authorization Reference lists which keys each action supports
      if (applies && !actions.some((a) => applies(key, a))) {
        this.warn('BH3017', `condition key \`${key}\` is not in the request context of ${actions.map((a) => `\`${a}\``).join(', ')} (service authorization reference), so the condition never has a value there; check the key or the actions`, path);
      }
    }
  }

  private checkValues(base: string, key: string, vals: readonly string[], path: string): void {
    const fam = BASE_OPERATORS.get(base);
    if (!fam) return;
    for (const x of vals) {
      if (base === 'Null' || base === 'Bool') {
        if (x.toLowerCase() !== 'true' && x.toLowerCase() !== 'false') this.err('BH3016', `\`${base}\` takes \`true\` or \`false\`, not \`${messageValue(x)}\` (key \`${key}\`)`, path);
      } else if (base.startsWith('Numeric')) {
        if (Number.isNaN(parseNumber(x))) this.err('BH3016', `\`${base}\` needs a number, not \`${messageValue(x)}\` (key \`${key}\`)`, path);
      } else if (base.startsWith('Date')) {
        if (Number.isNaN(parseDate(x))) this.err('BH3016', `\`${base}\` needs an ISO 8601 date or epoch seconds, not \`${messageValue(x)}\` (key \`${key}\`)`, path);
      } else if (base === 'IpAddress' || base === 'NotIpAddress') {
        if (!parseCidr(x)) this.err('BH3016', `\`${base}\` needs an IPv4 or IPv6 address or CIDR, not \`${messageValue(x)}\` (key \`${key}\`)`, path);
      } else this.checkVariables(x, path);
    }
  }
}

function typeLabel(t: PolicyType): string {
  switch (t) {
    case 'identity': return 'identity-based policy';
    case 'resource': return 'resource-based policy';
    case 'trust': return 'role trust policy';
    case 'scp': return 'service control policy';
    case 'rcp': return 'resource control policy';
    case 'boundary': return 'permissions boundary';
    case 'session': return 'session policy';
  }
}

/** Why a Resource string is not an ARN, or undefined when it is one (an empty resource part is one). */
export function arnProblem(r: string): string | undefined {
  if (!r.startsWith('arn:')) return 'it does not start with `arn:`';
  const parts = r.split(':');
  if (parts.length < 6) return `it has ${parts.length} colon-separated parts, an ARN has at least 6`;
  if (!PARTITIONS.test(parts[1]!) && !/^[a-z*?-]*[*?][a-z*?-]*$/.test(parts[1]!)) return `unknown partition \`${parts[1]}\``;
  if (parts[2] === '') return 'the service part is empty';
  // an empty resource part is valid (AWS stores such ARNs) and matches no resource: the parser warns about it
  return undefined;
}

/** Prints a parsed policy back to a canonical JSON value (lists always as arrays). */
export function printPolicy(p: Policy): Record<string, unknown> {
  const principal = (s: PrincipalSpec): unknown => {
    const o: Record<string, unknown> = {};
    const empty = s.aws.length + s.service.length + s.federated.length + s.canonicalUser.length === 0;
    if (s.wildcard && empty) return '*';
    if (s.wildcard || s.aws.length) o['AWS'] = [...(s.wildcard ? ['*'] : []), ...s.aws];
    if (s.service.length) o['Service'] = [...s.service];
    if (s.federated.length) o['Federated'] = [...s.federated];
    if (s.canonicalUser.length) o['CanonicalUser'] = [...s.canonicalUser];
    return o;
  };
  const out: Record<string, unknown> = {};
  if (p.version !== undefined) out['Version'] = p.version;
  if (p.id !== undefined) out['Id'] = p.id;
  out['Statement'] = p.statements.map((s) => {
    const o: Record<string, unknown> = {};
    if (s.sid !== undefined) o['Sid'] = s.sid;
    o['Effect'] = s.effect;
    if (s.principal) o['Principal'] = principal(s.principal);
    if (s.notPrincipal) o['NotPrincipal'] = principal(s.notPrincipal);
    if (s.action) o['Action'] = [...s.action];
    if (s.notAction) o['NotAction'] = [...s.notAction];
    if (s.resource) o['Resource'] = [...s.resource];
    if (s.notResource) o['NotResource'] = [...s.notResource];
    if (s.condition.length) {
      // Object.fromEntries defines own properties, so keys such as `__proto__` stay data
      const byOp = new Map<string, [string, string[]][]>();
      for (const cl of s.condition) {
        let list = byOp.get(cl.operator);
        if (!list) byOp.set(cl.operator, (list = []));
        list.push([cl.key, [...cl.values]]);
      }
      o['Condition'] = Object.fromEntries([...byOp].map(([op, kv]) => [op, Object.fromEntries(kv)]));
    }
    return o;
  });
  return out;
}
