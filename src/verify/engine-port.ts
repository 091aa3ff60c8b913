/**
 * The narrow interface through which verify asks the IAM engine (src/policy) questions. Verify itself never
 * matches policies; an adapter over src/policy implements this (see engine-adapter.ts).
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { PolicyDocument, Tags } from '../model/organization.js';
import type { Capability, Evidence } from './finding.js';

/** A named policy document, so evidence can say where a statement came from. */
export interface NamedPolicy {
  /** Evidence source label, e.g. `role retail-dev/app policy inline:app`. */
  readonly source: string;
  readonly document: PolicyDocument;
}

/** Everything the engine needs about a principal. */
export interface PrincipalContext {
  readonly kind: 'role' | 'user';
  readonly arn: string;
  readonly name: string;
  readonly accountName: string;
  readonly accountId: string;
  readonly identityPolicies: readonly NamedPolicy[];
  readonly boundary?: NamedPolicy;
  /** SCPs per level root first; undefined for the management account (SCPs do not apply). */
  readonly scpLevels?: readonly (readonly NamedPolicy[])[];
  /** RCPs of the principal's account (apply when the principal, a role, is the target of sts:AssumeRole). */
  readonly rcpLevels?: readonly (readonly NamedPolicy[])[];
  readonly tags: Tags;
}

/** Everything the engine needs about a resource. */
export interface ResourceContext {
  readonly arn: string;
  /** `s3:bucket`, `kms:key`, `sqs:queue`, `iam:role`, … */
  readonly type: string;
  readonly accountName: string;
  readonly accountId: string;
  readonly region?: string;
  readonly policy?: NamedPolicy;
  /** RCPs per level root first; undefined for the management account. */
  readonly rcpLevels?: readonly (readonly NamedPolicy[])[];
  readonly tags: Tags;
  /** True for design-time stand-ins ("any S3 bucket in retail-prod"). */
  readonly abstract?: boolean;
}

/** One allowed capability with the actions and statements that grant it. */
export interface CapabilityGrant {
  readonly capability: Capability;
  /** A few of the allowed actions (for the message); the engine decides how many. */
  readonly actions: readonly string[];
  /**
   * The granting statements. From `capabilities` a source may be a placeholder label (it starts with U+0000: the
   * engine's name for "identity policy i", "boundary" or "the resource's policy", so one grant serves every pair
   * with the same policies); never show it as it is: read it with `resolvedEvidence` / `grantEvidence` (graph.ts).
   */
  readonly evidence: readonly Evidence[];
}

/** Whether a principal may assume a role, and why. */
export interface AssumeDecision {
  readonly allowed: boolean;
  readonly evidence: readonly Evidence[];
}

/**
 * A caller from outside the organization (see external-access.ts): an anonymous caller (`principal` `*`), an IAM
 * principal or account root in an account outside the organization (its own account is assumed to allow it
 * everything), or an AWS service principal. `context` adds request keys (e.g. `aws:SourceAccount`, `aws:SourceIp`).
 */
export interface ExternalCaller {
  readonly kind: 'anonymous' | 'account' | 'service';
  readonly principal: string;
  readonly context: Readonly<Record<string, string>>;
}

/** One IAM request a principal would make (escalation edges ask these; see escalation.ts). */
export interface ActionRequest {
  readonly action: string;
  /** Resource ARN (a concrete role, user or policy ARN, or a representative one for resources a caller creates). */
  readonly resource: string;
  /** Account id that owns the resource. */
  readonly resourceAccount: string;
  /** Extra request context, e.g. `iam:PassedToService`. */
  readonly context?: Readonly<Record<string, string>>;
  /** Tags of the resource (for `aws:ResourceTag/…`). */
  readonly resourceTags?: Tags;
}

/**
 * Who will ask about which resources, told before a run of capability questions: the principals in the order they
 * will ask, and per resource the position in that order of the last principal that may ask about it (-1: none).
 * Only saves work (an evaluator may keep what it compiled for a resource's policy until its last asker is done);
 * it never changes an answer, and questions in another order are still answered exactly.
 */
export interface QuestionPlan {
  readonly principals: readonly PrincipalContext[];
  readonly resources: readonly ResourceContext[];
  readonly lastAsker: ArrayLike<number>;
}

/** The questions verify asks the engine. Implementations must be exact (no approximations). */
export interface AccessEvaluator {
  /** Which capabilities the principal is allowed on the resource, all policy types considered. */
  capabilities(principal: PrincipalContext, resource: ResourceContext): readonly CapabilityGrant[];
  /** Whether the principal may call sts:AssumeRole on the role (its trust policy is `trustPolicy`). */
  canAssume(principal: PrincipalContext, role: PrincipalContext, trustPolicy: NamedPolicy): AssumeDecision;
  /**
   * Which capabilities an external caller has on the resource, given its resource policy and these RCP levels
   * (pass the resource's own, or fewer to see what an RCP closes). Optional: without it the external-access rules
   * do not run.
   */
  externalCapabilities?(caller: ExternalCaller, resource: ResourceContext, rcpLevels: ResourceContext['rcpLevels']): readonly CapabilityGrant[];
  /** Whether an external caller may call sts:AssumeRole on the role, given its trust policy and these RCP levels. */
  externalAssume?(caller: ExternalCaller, role: PrincipalContext, trustPolicy: NamedPolicy, rcpLevels: PrincipalContext['rcpLevels']): AssumeDecision;
  /** Whether the principal may make one request (identity policies, boundary and SCPs; no resource policy). */
  allows?(principal: PrincipalContext, request: ActionRequest): AssumeDecision;
  /**
   * Whether AWS service principal `service` (e.g. `lambda.amazonaws.com`) may call sts:AssumeRole on the role,
   * judged by its trust policy (and the role account's RCPs), with `context` (e.g. `aws:SourceAccount`).
   */
  serviceMayAssume?(service: string, role: PrincipalContext, trustPolicy: NamedPolicy, context: Readonly<Record<string, string>>): AssumeDecision;
  /** Problems met while evaluating (e.g. a policy the engine could not parse), as diagnostics. */
  readonly diagnostics?: readonly Diagnostic[];
  /**
   * Optional, only saves work: the plan of the capability questions that follow (see {@link QuestionPlan});
   * undefined when they are done (what was kept for them may go).
   */
  expectQuestions?(plan: QuestionPlan | undefined): void;
}

/** The engine-backed AccessEvaluator (see engine-adapter.ts), with the warnings it collected and its counters. */
export interface EngineEvaluator extends AccessEvaluator {
  /** Policies the engine could not parse (BH7101), queries it refused (BH7102). */
  readonly diagnostics: Diagnostic[];
  /** Capability questions answered "nothing" without the bulk query (no identity statement for the service). */
  readonly skippedQueries: number;
  /** Capability questions answered from an ARN-independent earlier answer of the same principal. */
  readonly memoHits: number;
}
