/**
 * What one principal's questions share: its compiled identity side (identity policies, boundary, SCPs), the
 * key under which its capability indexes are kept, the request callers per resource account/region/tags, and
 * the per-service answers the shortcut layer memoises. Verify asks principal by principal, so the adapter keeps
 * only the current principal's scope.
 */
import type { PolicySet } from '../policy/index.js';
import { DEFAULT_REGION } from '../util/aws-defaults.js';
import { PRINCIPAL_BOUNDARY_LABEL, PRINCIPAL_POLICY_LABEL, type PolicyCompiler } from './engine-compiler.js';
import type { ResourceIndexCache, SetIndexes } from './engine-indexes.js';
import type { CapabilityGrant, PrincipalContext, ResourceContext } from './engine-port.js';

/** The identity side of a policy set. */
export type IdentitySide = Pick<PolicySet, 'identity' | 'boundary' | 'scps'>;

/** What the request context is built from besides the principal and resource. */
export interface ContextOptions {
  /** Region used for `aws:RequestedRegion` when a resource has none (default DEFAULT_REGION). */
  readonly defaultRegion?: string;
  /** The organization id for `aws:PrincipalOrgID`, when known. */
  readonly organizationId?: string;
}

/** A caller object as the bulk query reads it. */
export interface Caller {
  readonly principal: string;
  readonly resourceAccount: string;
  readonly context: Record<string, string>;
}

function tagContext(prefix: string, tags: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(tags).map(([k, v]) => [`${prefix}/${k}`, v]));
}

/** The key of a resource's account, region and tags (most resources of an account share one). */
export function placeKey(r: ResourceContext): string {
  return `${r.accountId}\u0000${r.region ?? ''}\u0000${Object.keys(r.tags).length === 0 ? '' : JSON.stringify(r.tags)}`;
}

/** See the module comment. */
export class PrincipalScope {
  /** The principal's compiled identity policies, boundary and SCPs. */
  readonly base: IdentitySide;
  /** The capability indexes of principals with the same compiled policies. */
  readonly indexes: SetIndexes;
  /** Per service: whether an identity Allow statement may match it. */
  readonly identityServices = new Map<string, boolean>();
  /** Per service: whether every identity-side statement for it has `Resource: "*"`. */
  readonly arnFree = new Map<string, boolean>();
  /** Memoised ARN-independent answers (see the shortcut layer). */
  readonly answers = new Map<string, CapabilityGrant[]>();
  // caller objects keyed by resource account, region and resource tags (most resources share one): the engine
  // prepares a caller once and recognises it by identity on the next query
  private readonly callers = new Map<string, Caller>();

  constructor(
    readonly principal: PrincipalContext,
    compiler: PolicyCompiler,
    cache: ResourceIndexCache,
    private readonly options: ContextOptions,
  ) {
    const p = principal;
    const boundary = p.boundary ? compiler.compile(compiler.principalPolicy(p.boundary, PRINCIPAL_BOUNDARY_LABEL), 'boundary', p.boundary.source) : undefined;
    const scps = compiler.levels(p.scpLevels, 'scp');
    const identity = p.identityPolicies.flatMap((np, i) => compiler.compile(compiler.principalPolicy(np, `${PRINCIPAL_POLICY_LABEL}${i}`), 'identity', np.source) ?? []);
    this.base = { identity, ...(boundary ? { boundary } : {}), ...(scps ? { scps } : {}) };
    // the engine's work depends only on these compiled policies: principals with the same ones share it
    const id = (o: object) => compiler.id(o);
    const setKey = compiler.share
      ? `${identity.map(id).join(',')}|${boundary ? id(boundary) : ''}|${(scps ?? []).map((l) => l.map(id).join(',')).join(';')}|${scps ? 1 : 0}`
      : `${p.arn}`;
    this.indexes = cache.forSet(setKey);
  }

  /** The request context for a resource with these tags in this region. */
  context(tags: Readonly<Record<string, string>>, region: string | undefined): Record<string, string> {
    return {
      'aws:RequestedRegion': region ?? this.options.defaultRegion ?? DEFAULT_REGION,
      'aws:SecureTransport': 'true',
      ...(this.options.organizationId ? { 'aws:PrincipalOrgID': this.options.organizationId } : {}),
      ...tagContext('aws:PrincipalTag', this.principal.tags),
      ...tagContext('aws:ResourceTag', tags),
    };
  }

  /** The (shared) caller object for questions about `r`. */
  caller(r: ResourceContext): Caller {
    const key = placeKey(r);
    let c = this.callers.get(key);
    if (!c) this.callers.set(key, (c = { principal: this.principal.arn, resourceAccount: r.accountId, context: this.context(r.tags, r.region) }));
    return c;
  }
}
