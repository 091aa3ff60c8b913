/**
 * Types shared by the policy engine: parsed policies, requests and decisions.
 * Everything here is plain data so the verifier, the CLI and tests can build and compare it freely.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';

/** The diagnostics of a clean result: one shared frozen empty list, so the hot path allocates none. */
export const NO_DIAGNOSTICS: readonly Diagnostic[] = Object.freeze([]);

/** Where a policy document is used; decides which elements are allowed and the size limit. */
export type PolicyType = 'identity' | 'resource' | 'trust' | 'scp' | 'rcp' | 'boundary' | 'session';

/** Every policy type, for validation of user input. */
export const POLICY_TYPES: readonly PolicyType[] = ['identity', 'resource', 'trust', 'scp', 'rcp', 'boundary', 'session'];

/** A Principal / NotPrincipal element, normalised: `*` becomes `wildcard`, single strings become lists. */
export interface PrincipalSpec {
  /** `"Principal": "*"` or `{"AWS": "*"}`: every principal, including anonymous ones. */
  readonly wildcard: boolean;
  /** AWS principals as written, except 12-digit account ids which become `arn:aws:iam::ID:root`. */
  readonly aws: readonly string[];
  readonly service: readonly string[];
  readonly federated: readonly string[];
  readonly canonicalUser: readonly string[];
}

/** Set qualifier of a condition operator. */
export type SetOperator = 'ForAllValues' | 'ForAnyValue';

/** One key test inside a Condition block: `{"StringEquals": {"aws:username": ["a", "b"]}}` gives one clause. */
export interface ConditionClause {
  /** The operator as written, e.g. `ForAnyValue:StringLikeIfExists`. */
  readonly operator: string;
  /** The base operator without qualifier and `IfExists`, e.g. `StringLike`. */
  readonly base: string;
  readonly setOperator?: SetOperator;
  readonly ifExists: boolean;
  /** The key as written (keys match case-insensitively). */
  readonly key: string;
  /** Values as strings (booleans and numbers are stringified as AWS does). Several values = OR. */
  readonly values: readonly string[];
}

/** A statement after parsing: every list element is a list, absent elements are `undefined`. */
export interface Statement {
  /** Position in the document's Statement list (0-based). */
  readonly index: number;
  readonly sid?: string;
  readonly effect: 'Allow' | 'Deny';
  readonly principal?: PrincipalSpec;
  readonly notPrincipal?: PrincipalSpec;
  readonly action?: readonly string[];
  readonly notAction?: readonly string[];
  readonly resource?: readonly string[];
  readonly notResource?: readonly string[];
  readonly condition: readonly ConditionClause[];
}

/** A parsed policy document. */
export interface Policy {
  readonly type: PolicyType;
  readonly version?: string;
  readonly id?: string;
  readonly statements: readonly Statement[];
}

/** Which kind of policy blocked or decided a request. */
export type PolicyKind = 'identity' | 'resource' | 'boundary' | 'session' | 'scp' | 'rcp';

/**
 * Why a request was not allowed: a policy kind, or `aws-owned` when AWS owns the resource and refuses the action
 * whatever the policies say (service-linked and IAM Identity Center roles, AWS managed policies, `alias/aws/*`).
 */
export type BlockReason = PolicyKind | 'aws-owned';

/** The three outcomes AWS documents. */
export type DecisionKind = 'Allowed' | 'ImplicitlyDenied' | 'ExplicitlyDenied';

/** A statement that decided a request, as data. */
export interface StatementRef {
  readonly policyKind: PolicyKind;
  /** Where the policy sits in the input, e.g. `identityPolicies[1]`, `serviceControlPolicies[0][2]`. */
  readonly policy: string;
  readonly statement: number;
  readonly sid?: string;
  readonly effect: 'Allow' | 'Deny';
}

/** The engine's answer for one request. */
export interface Decision {
  readonly decision: DecisionKind;
  /**
   * Policy kinds that denied (explicitly) or failed to allow (implicitly), and `aws-owned` when AWS refuses the action
   * on its own resource (an implicit deny no policy can turn into Allow); empty when allowed. Sorted.
   */
  readonly blockedBy: readonly BlockReason[];
  /** Deciding statements: the matching Deny statements, or the Allow statements that granted access. */
  readonly explanation: readonly StatementRef[];
  /** Short lowercase notes on rules that applied (cross-account, SCPs skipped, …), for humans. */
  readonly notes: readonly string[];
}

/** A condition-key value in a request context: one string, or a list for multivalued keys. */
export type ContextValue = string | number | boolean | readonly (string | number | boolean)[];

/** A request as the caller describes it (the `request` object of `bulkhead simulate`). */
export interface RequestInput {
  /** ARN of the caller (user, role, assumed-role session, federated user, root), a service principal, or `*` for anonymous. */
  readonly principal: string;
  /** Overrides how `principal` is classified: `AWS`, `Service`, `Federated`, `CanonicalUser` or `Anonymous`. */
  readonly principalType?: 'AWS' | 'Service' | 'Federated' | 'CanonicalUser' | 'Anonymous';
  /** Session name to use when `principal` is a role ARN (default `session`). */
  readonly sessionName?: string;
  /**
   * For a federated-user principal (GetFederationToken): the ARN of the IAM user who created the session. A resource
   * policy naming that user then grants to the session, limited by the boundary and the session policy.
   */
  readonly federatingUser?: string;
  readonly action: string;
  /** Resource ARN, or `*` for actions without a resource. */
  readonly resource: string;
  /** Account that owns the resource; default: the ARN's account segment, else the principal's account. */
  readonly resourceAccount?: string;
  readonly context?: Readonly<Record<string, ContextValue>>;
}
