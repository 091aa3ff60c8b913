/**
 * Structural reading of policy documents for hygiene rules and for pruning the access graph. This never
 * decides whether a request is allowed (that is src/policy's job); it only lists what a document names,
 * erring towards "could match" so pruning stays sound.
 */
import type { JsonValue, PolicyDocument } from '../model/organization.js';

/** A statement as found in a document, with its label for evidence. */
export interface RawStatement {
  /** Sid when present, else `#<index>`. */
  readonly label: string;
  readonly index: number;
  readonly value: { readonly [key: string]: JsonValue };
}

function isObject(v: JsonValue | undefined): v is { [key: string]: JsonValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The statements of a document (a single object or an array); non-objects are skipped. */
export function statementsOf(doc: PolicyDocument | undefined): RawStatement[] {
  if (!isObject(doc)) return [];
  const s = doc['Statement'];
  const list = Array.isArray(s) ? s : s === undefined ? [] : [s];
  const out: RawStatement[] = [];
  list.forEach((v, index) => {
    if (!isObject(v)) return;
    const sid = v['Sid'];
    out.push({ label: typeof sid === 'string' && sid !== '' ? sid : `#${index}`, index, value: v });
  });
  return out;
}

function strings(v: JsonValue | undefined): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return [];
}

/** What a statement's Principal names, for AWS principals (services and federated ones are not ours). */
export interface PrincipalMentions {
  /** `*` appears (or NotPrincipal is used), so any principal may match. */
  readonly any: boolean;
  /** Account ids named as whole accounts (`123…`, `arn:aws:iam::123…:root`). */
  readonly wholeAccounts: readonly string[];
  /** ARNs of specific principals named. */
  readonly arns: readonly string[];
  /** Account ids of every AWS principal named (whole accounts and those of ARNs). */
  readonly accounts: readonly string[];
}

const ACCOUNT_ID = /^\d{12}$/;
const ARN_ACCOUNT = /^arn:[^:]+:(?:iam|sts)::(\d{12}):(.*)$/;

/** The AWS principals a statement names. NotPrincipal counts as `any` (it matches all but the listed). */
export function principalMentions(stmt: RawStatement): PrincipalMentions {
  if (stmt.value['NotPrincipal'] !== undefined) return { any: true, wholeAccounts: [], arns: [], accounts: [] };
  const p = stmt.value['Principal'];
  if (p === '*') return { any: true, wholeAccounts: [], arns: [], accounts: [] };
  const aws = isObject(p) ? strings(p['AWS']) : [];
  let any = false;
  const whole = new Set<string>();
  const arns = new Set<string>();
  const accounts = new Set<string>();
  for (const a of aws) {
    if (a === '*') any = true;
    else if (ACCOUNT_ID.test(a)) {
      whole.add(a);
      accounts.add(a);
    } else {
      const m = ARN_ACCOUNT.exec(a);
      if (m) {
        accounts.add(m[1]!);
        if (m[2] === 'root') whole.add(m[1]!);
        else arns.add(a);
      } else {
        // an unrecognised principal string: stay sound and treat it as possibly matching anything
        any = true;
      }
    }
  }
  return { any, wholeAccounts: [...whole].sort(), arns: [...arns].sort(), accounts: [...accounts].sort() };
}

/** Union of the AWS principals named by the non-Deny statements of a document (for pruning). */
export function allowedPrincipalMentions(doc: PolicyDocument | undefined): PrincipalMentions {
  let any = false;
  const whole = new Set<string>();
  const arns = new Set<string>();
  const accounts = new Set<string>();
  for (const s of statementsOf(doc)) {
    // malformed effects count too, so the pair reaches the engine and its rejection is reported
    if (s.value['Effect'] === 'Deny') continue;
    const m = principalMentions(s);
    any ||= m.any;
    m.wholeAccounts.forEach((x) => whole.add(x));
    m.arns.forEach((x) => arns.add(x));
    m.accounts.forEach((x) => accounts.add(x));
  }
  return { any, wholeAccounts: [...whole].sort(), arns: [...arns].sort(), accounts: [...accounts].sort() };
}

/** True when the statement has a non-empty Condition block. */
export function hasCondition(stmt: RawStatement): boolean {
  const c = stmt.value['Condition'];
  return isObject(c) && Object.keys(c).length > 0;
}

/** True for an Allow statement with Action `*` (or `*:*`) on Resource `*` and no condition: admin-equivalent. */
export function isAdminStatement(stmt: RawStatement): boolean {
  if (stmt.value['Effect'] !== 'Allow' || hasCondition(stmt)) return false;
  const actions = strings(stmt.value['Action']);
  const resources = strings(stmt.value['Resource']);
  return actions.some((a) => a === '*' || a === '*:*') && resources.includes('*');
}

/** ARN of the AWS managed AdministratorAccess policy. */
export const ADMINISTRATOR_ACCESS_ARN = 'arn:aws:iam::aws:policy/AdministratorAccess';
