/**
 * The plain engine-backed evaluator: assembles the engine's PolicySet for a principal scope and a resource,
 * asks the bulk capability query (or one sts:AssumeRole request) and maps answers to interned evidence: capability
 * grants keep the placeholder labels (shared by every principal with the same policies; readers resolve them with
 * `placeholderSource`), the other answers get the principal's and resource's own labels. No shortcuts: every
 * question reaches the engine.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { DEFAULT_REGION } from '../util/aws-defaults.js';
import { warning } from '../diagnostics/diagnostic.js';
import { CapabilityIndex, evaluateRequest, type CapabilityCatalog, type EngineCatalog, type PolicySet, type StatementRef } from '../policy/index.js';
import { placeholderSource, type PolicyCompiler } from './engine-compiler.js';
import type { ResourceIndexCache } from './engine-indexes.js';
import type { Interner } from './engine-interner.js';
import type { ActionRequest, AssumeDecision, CapabilityGrant, ExternalCaller, NamedPolicy, PrincipalContext, ResourceContext } from './engine-port.js';
import type { PrincipalScope } from './engine-scope.js';
import type { Capability, Evidence } from './finding.js';

/** What an external caller's own account allows it: everything (the worst case; bulkhead cannot see that account). */
const EXTERNAL_IDENTITY: NamedPolicy = {
  source: 'external account identity policy (assumed to allow everything)',
  document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
};

function messages(ds: readonly Diagnostic[]): string {
  return ds.map((d) => d.message).join('; ');
}

/** How many external-access indexes are kept (they are asked about resource by resource, so few are reused later). */
const MAX_EXTERNAL_INDEXES = 256;

/** What the plain evaluator works with. */
export interface PlainEvaluatorParts {
  readonly compiler: PolicyCompiler;
  readonly indexes: ResourceIndexCache;
  readonly intern: Interner;
  readonly diagnostics: Diagnostic[];
  /** The catalogue the engine reads (RCP services, capability table). */
  readonly catalog: EngineCatalog & CapabilityCatalog<Capability>;
  /** How many allowed actions a grant lists. */
  readonly actionsPerGrant: number;
}

/** See the module comment. */
export class PlainEvaluator {
  private readonly externalIndexes = new Map<string, CapabilityIndex<Capability> | undefined>();

  constructor(private readonly parts: PlainEvaluatorParts) {}

  /**
   * The capabilities of the scope's principal on `r`, evaluated with resource policy `policy` (r's, or none when it
   * cannot apply). Evidence keeps the placeholder labels (see {@link placeholderSource}, which gives the principal's
   * and r's own back), so grants are shared across principals.
   */
  capabilities(scope: PrincipalScope, r: ResourceContext, policy: NamedPolicy | undefined): CapabilityGrant[] {
    const { compiler, diagnostics, intern } = this.parts;
    const p = scope.principal;
    const index = this.parts.indexes.index(scope.indexes, compiler.resourcePolicyKey(policy), r.rcpLevels, () => {
      const resource = policy ? compiler.compile(compiler.resourcePolicy(policy), 'resource', policy.source) : undefined;
      const rcps = compiler.levels(r.rcpLevels, 'rcp');
      return new CapabilityIndex({ ...scope.base, catalog: this.parts.catalog, ...(resource ? { resource } : {}), ...(rcps ? { rcps } : {}) }, this.parts.catalog);
    });
    const caller = scope.caller(r);
    // S3 data actions act on objects: ask about the bucket and a representative object key, and merge
    const s3 = r.type === 's3:bucket' && !r.arn.includes('/');
    const first = index.query(caller, r.arn);
    const second = s3 ? index.query(caller, `${r.arn}/any-object`) : undefined;
    for (const answer of [first, second]) {
      if (answer !== undefined && !answer.ok) diagnostics.push({ ...warning('BH7102', `cannot evaluate \`${p.arn}\` on \`${r.arn}\`: ${messages(answer.diagnostics)}`), path: p.arn });
    }
    const a = first.ok ? first.value.capabilities : [];
    const b = second?.ok ? second.value.capabilities : [];
    const perGrant = this.parts.actionsPerGrant;
    const grants: CapabilityGrant[] = [];
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const x = a[i]?.allowed ? a[i] : undefined;
      const y = b[i]?.allowed ? b[i] : undefined;
      if (!x && !y) continue;
      const capability = (x ?? y)!.capability;
      // actions: the union when both allow (sorted, first few); evidence: the first answer that allowed
      const actions = x && y ? [...new Set([...x.actions, ...y.actions])].sort().slice(0, perGrant) : (x ?? y)!.actions.slice(0, perGrant);
      // placeholder labels as the engine gave them (see placeholderSource): one grant for every principal and
      // resource with the same policies at the same positions, whoever holds it
      const evidence = this.evidenceOf((x ?? y)!.explanation);
      grants.push(intern.grant(capability, actions, evidence));
    }
    return intern.list(grants);
  }

  /** Whether the scope's principal may assume `role`, whose trust policy is `trustPolicy`. */
  canAssume(scope: PrincipalScope, role: PrincipalContext, trustPolicy: NamedPolicy): AssumeDecision {
    const { compiler, diagnostics } = this.parts;
    const p = scope.principal;
    const trust = compiler.compile(trustPolicy, 'trust');
    if (!trust) return { allowed: false, evidence: [] };
    const rcps = compiler.levels(role.rcpLevels, 'rcp');
    const set: PolicySet = { ...scope.base, catalog: this.parts.catalog, resource: trust, ...(rcps ? { rcps } : {}) };
    const r = evaluateRequest(
      { principal: p.arn, action: 'sts:AssumeRole', resource: role.arn, resourceAccount: role.accountId, context: scope.context(role.tags, undefined) },
      set,
      'refs', // verify reads the decision and its deciding statements, not the notes for humans
    );
    if (!r.ok) {
      diagnostics.push({ ...warning('BH7102', `cannot evaluate \`${p.arn}\` assuming \`${role.arn}\`: ${r.error}`), path: p.arn });
      return { allowed: false, evidence: [] };
    }
    return {
      allowed: r.decision.decision === 'Allowed',
      evidence: r.decision.decision === 'Allowed' ? this.evidenceOf(r.decision.explanation).map(this.relabelFor(p, undefined)) : [],
    };
  }

  /**
   * An external caller's capabilities on `r` (its resource policy, the given RCP levels; no SCPs: the caller is
   * outside the organization). An IAM caller's own account is assumed to allow it everything.
   */
  externalCapabilities(caller: ExternalCaller, r: ResourceContext, rcpLevels: ResourceContext['rcpLevels']): CapabilityGrant[] {
    const { compiler, intern } = this.parts;
    if (!r.policy) return [];
    const index = this.externalIndex(r.policy, rcpLevels);
    if (!index) return [];
    const relabel = this.relabelFor(undefined, r.policy);
    const input = this.externalInput(caller, r.accountId, r.tags, r.region);
    const s3 = r.type === 's3:bucket' && !r.arn.includes('/');
    const answers = [index.query(input, r.arn), ...(s3 ? [index.query(input, `${r.arn}/any-object`)] : [])];
    const byCap = new Map<Capability, CapabilityGrant>();
    for (const a of answers) {
      if (!a.ok) {
        this.parts.diagnostics.push({ ...warning('BH7102', `cannot evaluate \`${caller.principal}\` on \`${r.arn}\`: ${messages(a.diagnostics)}`), path: caller.principal });
        continue;
      }
      for (const c of a.value.capabilities) {
        if (!c.allowed || byCap.has(c.capability)) continue;
        byCap.set(c.capability, intern.grant(c.capability, c.actions.slice(0, this.parts.actionsPerGrant), this.evidenceOf(c.explanation).map(relabel)));
      }
    }
    return [...byCap.values()];
  }

  /**
   * The external callers' capability index for a resource policy under these RCP levels: one per policy text (the
   * shared placeholder, relabelled in the answers) and levels, whatever resource or caller asks. External access
   * asks resource by resource, so the cache is emptied when it reaches its bound. Undefined when the policy cannot
   * be read at all (its BH7101 warning names the resource's policy).
   */
  private externalIndex(policy: NamedPolicy, rcpLevels: ResourceContext['rcpLevels']): CapabilityIndex<Capability> | undefined {
    const { compiler } = this.parts;
    const levelsKey = (rcpLevels ?? []).map((l) => l.map((np) => compiler.id(np)).join(',')).join(';');
    const key = `${compiler.resourcePolicyKey(policy)}\u0001${rcpLevels ? 1 : 0}${levelsKey}`;
    if (this.externalIndexes.has(key)) return this.externalIndexes.get(key);
    if (this.externalIndexes.size >= MAX_EXTERNAL_INDEXES) this.externalIndexes.clear();
    const resource = compiler.compile(compiler.resourcePolicy(policy), 'resource', policy.source);
    let index: CapabilityIndex<Capability> | undefined;
    if (resource) {
      const rcps = compiler.levels(rcpLevels, 'rcp');
      const identity = compiler.compile(EXTERNAL_IDENTITY, 'identity');
      index = new CapabilityIndex<Capability>({ identity: identity ? [identity] : [], resource, catalog: this.parts.catalog, ...(rcps ? { rcps } : {}) }, this.parts.catalog);
    }
    this.externalIndexes.set(key, index);
    return index;
  }

  /**
   * Compiles what an external question would (the policy, the RCP levels, the external identity) without asking:
   * the shortcut layer's skipped questions report the same BH7101 warnings as asked ones.
   */
  externalCompile(policy: NamedPolicy, type: 'resource' | 'trust', rcpLevels: ResourceContext['rcpLevels']): void {
    const { compiler } = this.parts;
    const np = type === 'resource' ? compiler.resourcePolicy(policy) : policy;
    if (!compiler.compile(np, type, policy.source)) return;
    compiler.levels(rcpLevels, 'rcp');
    compiler.compile(EXTERNAL_IDENTITY, 'identity');
  }

  /** Whether an external caller may assume `role` (its trust policy, the given RCP levels, no SCPs). */
  externalAssume(caller: ExternalCaller, role: PrincipalContext, trustPolicy: NamedPolicy, rcpLevels: PrincipalContext['rcpLevels']): AssumeDecision {
    const { compiler } = this.parts;
    const trust = compiler.compile(trustPolicy, 'trust');
    if (!trust) return { allowed: false, evidence: [] };
    const rcps = compiler.levels(rcpLevels, 'rcp');
    const identity = compiler.compile(EXTERNAL_IDENTITY, 'identity');
    const set: PolicySet = { identity: identity ? [identity] : [], catalog: this.parts.catalog, resource: trust, ...(rcps ? { rcps } : {}) };
    const input = this.externalInput(caller, role.accountId, role.tags, undefined);
    const r = evaluateRequest({ ...input, action: 'sts:AssumeRole', resource: role.arn }, set, 'refs');
    if (!r.ok) {
      this.parts.diagnostics.push({ ...warning('BH7102', `cannot evaluate \`${caller.principal}\` assuming \`${role.arn}\`: ${r.error}`), path: caller.principal });
      return { allowed: false, evidence: [] };
    }
    const allowed = r.decision.decision === 'Allowed';
    return { allowed, evidence: allowed ? this.evidenceOf(r.decision.explanation) : [] };
  }

  /** Whether the scope's principal may make `req` (its identity side only: IAM actions have no resource policy). */
  allows(scope: PrincipalScope, req: ActionRequest): AssumeDecision {
    const p = scope.principal;
    const set: PolicySet = { ...scope.base, catalog: this.parts.catalog };
    const context = { ...scope.context(req.resourceTags ?? {}, undefined), ...(req.context ?? {}) };
    const r = evaluateRequest({ principal: p.arn, action: req.action, resource: req.resource, resourceAccount: req.resourceAccount, context }, set, 'refs');
    if (!r.ok) {
      this.parts.diagnostics.push({ ...warning('BH7102', `cannot evaluate \`${p.arn}\` calling \`${req.action}\` on \`${req.resource}\`: ${r.error}`), path: p.arn });
      return { allowed: false, evidence: [] };
    }
    const allowed = r.decision.decision === 'Allowed';
    return { allowed, evidence: allowed ? this.evidenceOf(r.decision.explanation).map(this.relabelFor(p, undefined)) : [] };
  }

  /** Whether service principal `service` may assume `role` by its trust policy (and the role account's RCPs). */
  serviceMayAssume(service: string, role: PrincipalContext, trustPolicy: NamedPolicy, context: Readonly<Record<string, string>>): AssumeDecision {
    const { compiler, diagnostics } = this.parts;
    const trust = compiler.compile(trustPolicy, 'trust');
    if (!trust) return { allowed: false, evidence: [] };
    const rcps = compiler.levels(role.rcpLevels, 'rcp');
    const set: PolicySet = { identity: [], catalog: this.parts.catalog, resource: trust, ...(rcps ? { rcps } : {}) };
    const r = evaluateRequest({ principal: service, principalType: 'Service', action: 'sts:AssumeRole', resource: role.arn, resourceAccount: role.accountId, context }, set, 'refs');
    if (!r.ok) {
      diagnostics.push({ ...warning('BH7102', `cannot evaluate \`${service}\` assuming \`${role.arn}\`: ${r.error}`), path: role.arn });
      return { allowed: false, evidence: [] };
    }
    const allowed = r.decision.decision === 'Allowed';
    return { allowed, evidence: allowed ? this.evidenceOf(r.decision.explanation) : [] };
  }

  private externalInput(caller: ExternalCaller, resourceAccount: string, tags: Readonly<Record<string, string>>, region: string | undefined) {
    return {
      principal: caller.principal,
      ...(caller.kind === 'anonymous' ? { principalType: 'Anonymous' as const } : caller.kind === 'service' ? { principalType: 'Service' as const } : {}),
      resourceAccount,
      context: {
        'aws:RequestedRegion': region ?? DEFAULT_REGION,
        'aws:SecureTransport': 'true',
        ...Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:ResourceTag/${k}`, v])),
        ...caller.context,
      },
    };
  }

  private evidenceOf(refs: readonly StatementRef[]): Evidence[] {
    return refs.map((r) => this.parts.intern.ref(r));
  }

  /** Placeholders back to the principal's own labels (and a resource's own policy label), interned. */
  private relabelFor(p: PrincipalContext | undefined, policy: NamedPolicy | undefined): (e: Evidence) => Evidence {
    const intern = this.parts.intern;
    return (e) => {
      const source = placeholderSource(e.source, p, policy);
      return source === undefined ? e : intern.relabel(e, source);
    };
  }
}
