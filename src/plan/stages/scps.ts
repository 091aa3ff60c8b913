/**
 * Planning stage 4: service and resource control policies: each guardrail (a preset, or a custom SCP or RCP document) with
 * its targets, then AWS's own FullAWSAccess (and RCPFullAWSAccess once an RCP preset is used) on the root, every OU
 * and every member account.
 */
import { error, warning } from '../../diagnostics/diagnostic.js';
import { ORGANIZATION_REF } from '../../model/account-ref.js';
import { ROOT_PATH, type PolicyDocument, type PolicyTarget } from '../../model/organization.js';
import type { SpecPath } from '../../spec/parse.js';
import { GUARDRAIL_PRESETS, GUARDRAIL_TYPES, type Spec, type SpecAttach } from '../../spec/schema.js';
import { messageValue } from '../../util/message-value.js';
import { didYouMean } from '../../util/suggest.js';
import { FULL_AWS_ACCESS, FULL_AWS_ACCESS_NAME, ORGANIZATION_ID, RCP_FULL_AWS_ACCESS, RCP_FULL_AWS_ACCESS_NAME, VPC_ID, isCidr, presetDocument, presetKind } from '../guardrails.js';
import { checkAccount, checkBu, checkPhase, inList, report, type PlanContext } from './context.js';
import { buOu, normalizeOuPath, phaseOu } from './ous.js';

type GuardrailSpec = NonNullable<Spec['guardrails']>[number];

/** The targets one `attach` entry names: an OU, an account, or a phase's / business unit's OU or accounts. */
function resolveAttach(ctx: PlanContext, attach: SpecAttach, path: SpecPath): PolicyTarget[] {
  const { ous, accounts, layout } = ctx;
  if (attach === 'root') return [{ ou: ROOT_PATH }];
  if ('ou' in attach) {
    const p = normalizeOuPath(attach.ou);
    if (!ous.has(p)) {
      report(ctx, [...path, 'ou'], error('BH1044', `unknown OU \`${attach.ou}\`${didYouMean(p, [...ous.keys()]) || `; planned OUs: ${[...ous.keys()].map((o) => `\`${o}\``).join(', ')}`}`));
      return [];
    }
    return [{ ou: p }];
  }
  if ('account' in attach) return checkAccount(ctx, attach.account, [...path, 'account']) ? [{ account: attach.account }] : [];
  if ('phase' in attach) {
    if (!checkPhase(ctx, attach.phase, [...path, 'phase'])) return [];
    if (layout === 'phase-first' && ous.has(phaseOu(ctx, attach.phase))) return [{ ou: phaseOu(ctx, attach.phase) }];
    return accounts.filter((a) => a.phase === attach.phase && a.purpose !== 'management').map((a) => ({ account: a.name }));
  }
  if (!checkBu(ctx, attach.businessUnit, [...path, 'businessUnit'])) return [];
  if (layout === 'bu-first' && ous.has(buOu(ctx, attach.businessUnit))) return [{ ou: buOu(ctx, attach.businessUnit) }];
  return accounts.filter((a) => a.businessUnit === attach.businessUnit).map((a) => ({ account: a.name }));
}

/** Whether a guardrail is a resource control policy: an RCP preset, or a custom guardrail with `type: rcp`. */
function guardrailKind(g: GuardrailSpec): 'scp' | 'rcp' {
  if ('preset' in g) return presetKind(g.preset);
  return g.type === 'rcp' ? 'rcp' : 'scp';
}

/**
 * A guardrail's SCP or RCP document and description, or undefined (reported) when its `policy` is no document. A
 * custom document is validated by the policy engine as its kind: an RCP by the rules of "RCP syntax"
 * (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_syntax.html): `Version`
 * 2012-10-17, `Effect` Deny only (Allow is reserved for RCPFullAWSAccess), `Principal` `"*"`, no `NotPrincipal` or
 * `NotAction`, the same rules the RCP presets follow; its size (5,120 characters, src/policy/limits.ts) is checked
 * with the other RCPs by `checkLimits`.
 */
function guardrailDocument(ctx: PlanContext, g: GuardrailSpec, name: string, path: SpecPath): { document: PolicyDocument; description: string } | undefined {
  if ('preset' in g) {
    if (!checkPerimeterParameters(ctx, g, path)) return undefined;
    const document = presetDocument(g.preset, {
      regions: g.regions ?? ctx.org.regions,
      exemptRoles: g.exemptRoles ?? [ctx.accessRoleName],
      organizationId: g.organizationId ?? ORGANIZATION_REF,
      ...(g.sourceIps ? { sourceIps: g.sourceIps } : {}),
      ...(g.sourceVpcs ? { sourceVpcs: g.sourceVpcs } : {}),
    });
    return { document, description: `bulkhead preset ${g.preset}` };
  }
  const kind = guardrailKind(g);
  if (g.policy === undefined || g.policy === null || typeof g.policy !== 'object' || Array.isArray(g.policy)) {
    report(ctx, [...path, 'policy'], error('BH1041', `the guardrail \`policy\` must be an ${kind.toUpperCase()} document: a mapping with \`Version\` and \`Statement\``));
    return undefined;
  }
  const document = g.policy as PolicyDocument;
  for (const d of ctx.validatePolicy?.(document, kind) ?? []) {
    const sub = d.path ? d.path.replace(/^\$\.?/, '').split(/\.|\[|\]/).filter(Boolean).map((s) => (/^\d+$/.test(s) ? Number(s) : s)) : [];
    report(ctx, [...path, 'policy', ...sub], { ...d, code: d.code, message: d.message });
  }
  return { document, description: g.description ?? `bulkhead guardrail ${name}` };
}

type PresetSpec = Extract<GuardrailSpec, { preset: unknown }>;

/** The data-perimeter presets' parameters: the RCPs' organization id when given, CIDRs or VPC ids for the network SCP. */
function checkPerimeterParameters(ctx: PlanContext, g: PresetSpec, path: SpecPath): boolean {
  if (g.preset === 'data-perimeter-identity' || g.preset === 'data-perimeter-confused-deputy') {
    // without `organizationId` the document names `{{organization:id}}`, which apply, emit and verify resolve
    if (g.organizationId !== undefined && !ORGANIZATION_ID.test(g.organizationId)) {
      report(ctx, [...path, 'organizationId'], error('BH1057', `organization id \`${g.organizationId}\` is not \`o-\` followed by 10–32 lowercase letters or digits; give the id of your organization`));
      return false;
    }
    return true;
  }
  if (g.preset !== 'data-perimeter-network') return true;
  if (!g.sourceIps && !g.sourceVpcs) {
    report(ctx, path, error('BH1058', 'preset `data-perimeter-network` needs `sourceIps` (CIDR ranges) or `sourceVpcs` (VPC ids): the networks your principals may use'));
    return false;
  }
  let good = true;
  (g.sourceIps ?? []).forEach((ip, i) => {
    if (isCidr(ip)) return;
    report(ctx, [...path, 'sourceIps', i], error('BH1058', `\`${ip}\` is not a CIDR range; write it like \`203.0.113.0/24\` or \`2001:db8::/32\``));
    good = false;
  });
  (g.sourceVpcs ?? []).forEach((vpc, i) => {
    if (VPC_ID.test(vpc)) return;
    report(ctx, [...path, 'sourceVpcs', i], error('BH1058', `\`${vpc}\` is not a VPC id; write it like \`vpc-0123456789abcdef0\``));
    good = false;
  });
  return good;
}

function planGuardrail(ctx: PlanContext, g: GuardrailSpec, gi: number): void {
  const path: SpecPath = ['guardrails', gi];
  if ('preset' in g && !inList(ctx, g.preset, GUARDRAIL_PRESETS, 'BH1015', 'guardrail preset', [...path, 'preset'])) return;
  if (!('preset' in g) && g.type !== undefined && !(GUARDRAIL_TYPES as readonly string[]).includes(g.type)) {
    const types = GUARDRAIL_TYPES.map((t) => `\`${t}\``).join(', ');
    report(ctx, [...path, 'type'], error('BH1066', `unknown guardrail type \`${messageValue(g.type)}\`${didYouMean(g.type, GUARDRAIL_TYPES) || `; use one of ${types}`}`));
    return;
  }
  const name = g.name ?? ('preset' in g ? g.preset : `guardrail-${gi}`);
  if (ctx.scpNames.has(name) || name === FULL_AWS_ACCESS_NAME || name === RCP_FULL_AWS_ACCESS_NAME) {
    report(ctx, [...path, 'preset' in g && !g.name ? 'preset' : 'name'], error('BH1016', `guardrail name \`${name}\` is used twice; give one a different \`name\``));
    return;
  }
  ctx.scpNames.set(name, gi);
  const planned = guardrailDocument(ctx, g, name, path);
  if (!planned) return;
  const targets = new Map<string, PolicyTarget>();
  (g.attach ?? ['root' as const]).forEach((a, ai) => {
    for (const t of resolveAttach(ctx, a, [...path, 'attach', ai])) targets.set('ou' in t ? `ou:${t.ou}` : `account:${t.account}`, t);
  });
  // SCPs never restrict the management account, nor RCPs its resources ("Resource control policies (RCPs)",
  // https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html)
  if ([...targets.values()].some((t) => 'account' in t && t.account === ctx.org.managementAccount.name)) {
    report(ctx, [...path, 'attach'], warning('BH1052', `guardrail \`${name}\` is attached to the management account, which ${guardrailKind(g).toUpperCase()}s never restrict; attach it to OUs or member accounts`));
  }
  const list = guardrailKind(g) === 'rcp' ? ctx.rcps : ctx.scps;
  list.push({ name, description: planned.description, managedBy: 'customer', document: planned.document, targets: [...targets.values()] });
}

/** Plans every guardrail and FullAWSAccess (stage 4). */
export function planScps(ctx: PlanContext): void {
  (ctx.spec.guardrails ?? []).forEach((g, gi) => planGuardrail(ctx, g, gi));
  const everywhere = (): PolicyTarget[] => [
    ...[...ctx.ous.keys()].map((ou) => ({ ou })),
    ...ctx.accounts.filter((a) => a.purpose !== 'management').map((a) => ({ account: a.name })),
  ];
  // once RCPs are enabled AWS attaches RCPFullAWSAccess everywhere too (it counts against the RCPs per target)
  if (ctx.rcps.length > 0) {
    ctx.rcps.push({ name: RCP_FULL_AWS_ACCESS_NAME, description: 'AWS managed: allows every action (attached by AWS to every root, OU and account once RCPs are enabled)', managedBy: 'aws', document: RCP_FULL_AWS_ACCESS, targets: everywhere() });
  }
  // AWS attaches FullAWSAccess to the root, every OU and every account; without it nothing would be allowed.
  ctx.scps.push({
    name: FULL_AWS_ACCESS_NAME,
    description: 'AWS managed: allows every action (attached by AWS to every root, OU and account)',
    managedBy: 'aws',
    document: FULL_AWS_ACCESS,
    targets: everywhere(),
  });
}
