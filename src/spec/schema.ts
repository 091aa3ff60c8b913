/**
 * The organization spec (YAML, version 1): the user's contract. This zod schema checks shapes and types;
 * cross-references and AWS quotas are checked by `validateSpec` afterwards. `schema/org-spec.schema.json`
 * is generated from it (`npm run gen:schema`).
 */
import { z } from 'zod';
import { CAPABILITIES } from '../catalog/index.js';

/** Shared accounts the planner knows (one per organization). */
export const SHARED_CATALOGUE = [
  'security',
  'log-archive',
  'shared-services',
  'network',
  'delivery',
  'identity',
  'backup',
] as const;

/** Extra accounts a business unit may ask for (one each per business unit). */
export const EXTRA_CATALOGUE = ['sandbox', 'dr'] as const;

/** Guardrail presets: SCPs, and the `data-perimeter-*` RCPs/SCP (see src/plan/guardrails.ts). */
export const GUARDRAIL_PRESETS = [
  'deny-leave-organization',
  'deny-root-user',
  'region-restriction',
  'protect-security-services',
  'deny-external-ram-sharing',
  'data-perimeter-identity',
  'data-perimeter-confused-deputy',
  'data-perimeter-network',
] as const;

const name = z.string().min(1).describe('a lowercase name: letters, digits and hyphens');
const oneOrMany = <T extends z.ZodType>(t: T) => z.union([t, z.array(t).min(1)]);

/** Selects accounts: every key given must match; a list matches any of its values. */
export const selectorSchema = z
  .object({
    phase: oneOrMany(z.string()).optional(),
    businessUnit: oneOrMany(z.string()).optional(),
    account: oneOrMany(z.string()).optional(),
    ou: oneOrMany(z.string()).optional(),
  })
  .strict()
  .describe('selects accounts: every key given must match; a list matches any of its values');

/** Where a guardrail is attached: `root`, an OU path, an account, a phase or a business unit. */
export const attachSchema = z.union([
  z.literal('root'),
  z.object({ ou: z.string() }).strict(),
  z.object({ account: z.string() }).strict(),
  z.object({ phase: z.string() }).strict(),
  z.object({ businessUnit: z.string() }).strict(),
]);

/** The OU layouts. */
export const OU_LAYOUTS = ['phase-first', 'bu-first'] as const;

/** Makes the schema of a closed list of names. */
type Named = <const T extends readonly [string, ...string[]]>(values: T) => z.ZodType<T[number]>;

/** A role designed into runtime accounts. */
function buildRoleSchema(named: Named) {
  const assumedFromSchema = z.union([
    z
      .object({
        account: z.string().describe('name of the account whose principals may assume the role'),
        role: z.string().optional().describe('only this role (name) in that account; default: a role of the same name'),
      })
      .strict(),
    z.object({ arn: z.string().describe('an IAM principal ARN') }).strict(),
    z.object({ saml: z.string().describe('ARN of an IAM SAML identity provider') }).strict(),
  ]);

  const accessSchema = z
    .object({
      capabilities: z.array(named(CAPABILITIES)).min(1),
      services: z.array(z.string()).min(1).optional().describe('service prefixes, e.g. s3, dynamodb; default: the data services'),
    })
    .strict();

  return z
    .object({
      description: z.string().max(1000).optional(),
      path: z.string().optional().describe('IAM path, default `/`'),
      assumedFrom: oneOrMany(assumedFromSchema)
        .optional()
        .describe('who may assume the role; required unless an `identity` group gives the role to people'),
      access: z.record(z.string(), accessSchema).describe('per phase name (or `*` for every phase): what the role may do'),
      inlinePolicies: z.record(z.string(), z.unknown()).optional().describe('extra inline policies, name → policy document'),
      tags: z.record(z.string(), z.string()).optional(),
    })
    .strict();
}

/** How people reach the runtime roles: IAM Identity Center, an identity account, or an external IdP (`assumedFrom`). */
export const IDENTITY_PROVIDERS = ['identity-center', 'identity-account', 'external'] as const;

/**
 * `identity`: how people get into the accounts. Each group lists what it gets as `role@phase` (every runtime account of
 * the phase where the role is planned) or `bu/role@phase` (only that business unit's account); `role@*` means every
 * phase the role has access in.
 */
function buildIdentitySchema(named: Named) {
  const group = z
    .object({
      name: z.string().min(1).describe('group name (in IAM Identity Center, the identity store group)'),
      description: z.string().max(1024).optional(),
      members: z.array(z.string().min(1)).optional().describe('user names of the members, when bulkhead should list them'),
      roles: z
        .array(z.string().min(1).describe('`role@phase`, `bu/role@phase` or `role@*`'))
        .min(1)
        .describe('what the group gets: `role@phase` (all runtime accounts of the phase), `bu/role@phase` (one business unit), `role@*` (every phase of the role)'),
    })
    .strict();
  return z
    .object({
      provider: named(IDENTITY_PROVIDERS).describe('identity-center: permission sets `{phase}-{role}`; identity-account: source roles in the identity account; external: `assumedFrom` only'),
      homeRegion: z.string().optional().describe('identity-center: the region of the Identity Center instance; default: the first of organization.regions'),
      sessionDuration: z.string().optional().describe('identity-center: permission set session length, ISO 8601 from `PT1H` to `PT12H`; default `PT1H`'),
      groups: z.array(group).optional(),
    })
    .strict();
}

/** The kinds of custom guardrail: a service control policy (the default) or a resource control policy. */
export const GUARDRAIL_TYPES = ['scp', 'rcp'] as const;

/** A guardrail: a preset, or a custom SCP or RCP (`type: rcp`). */
function buildGuardrailSchema(named: Named) {
  return z.union([
    z
      .object({
        preset: named(GUARDRAIL_PRESETS),
        name: z.string().optional().describe('SCP name; default: the preset name'),
        attach: z.array(attachSchema).min(1).optional(),
        regions: z.array(z.string()).min(1).optional().describe('region-restriction only; default: organization.regions'),
        exemptRoles: z.array(z.string()).optional().describe('role names that bypass the guardrail; default: the access role'),
        organizationId: z.string().optional().describe('data-perimeter-identity and data-perimeter-confused-deputy: the organization id (`o-…`); default: the id of the organization the spec designs, resolved by apply, emit and verify'),
        sourceIps: z.array(z.string()).min(1).optional().describe('data-perimeter-network: the CIDR ranges of your networks'),
        sourceVpcs: z.array(z.string()).min(1).optional().describe('data-perimeter-network: the ids of your VPCs (`vpc-…`)'),
      })
      .strict(),
    z
      .object({
        name: z.string(),
        type: named(GUARDRAIL_TYPES).optional().describe('scp: a service control policy (default); rcp: a resource control policy'),
        description: z.string().max(512).optional(),
        attach: z.array(attachSchema).min(1).optional(),
        policy: z.unknown().describe('the SCP document, or the RCP document with `type: rcp`'),
      })
      .strict(),
  ]);
}

/**
 * `organization.quotas`: the AWS Organizations policy quotas the planner checks against. The maxima are what AWS
 * allows today ("Quotas and service limits for AWS Organizations",
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html; SCPs 10,240 characters and
 * 10 per target since 15 May 2026, not adjustable), so a value can only lower a quota (an organization not yet on the
 * new SCP quotas, say).
 */
function orgPolicyQuotasSchema() {
  const count = (max: number, what: string) => z.number().int().positive().max(max).describe(`${what}; default and maximum ${max} (AWS's current quota)`);
  return z
    .object({
      scpCharacters: count(10240, 'largest SCP, in characters once minified'),
      scpsPerTarget: count(10, 'SCPs attached to one root, OU or account, FullAWSAccess included'),
      rcpCharacters: count(5120, 'largest RCP, in characters once minified'),
      rcpsPerTarget: count(5, 'RCPs attached to one root, OU or account'),
    })
    .partial()
    .strict();
}

function buildOrganizationSchema(named: Named) {
  return z
    .object({
      name: name,
      managementAccount: z.object({ name: z.string(), email: z.string() }).strict(),
      emailTemplate: z.string().describe('email address with `{account}` for the account name'),
      accountPrefix: z.string().optional(),
      regions: z.array(z.string()).min(1),
      ouLayout: named(OU_LAYOUTS).optional(),
      accessRoleName: z.string().optional().describe('role the management account assumes in members'),
      accountQuota: z.number().int().positive().optional().describe('your organization account quota; default 10'),
      quotas: orgPolicyQuotasSchema().optional().describe('SCP/RCP quotas, only to lower AWS\'s current ones (an organization not yet on them)'),
      policyStagingOu: z.boolean().optional().describe('add a Policy Staging OU to test guardrails'),
      tags: z.record(z.string(), z.string()).optional().describe('tags on every account'),
    })
    .strict();
}

const phasesSchema = () =>
  z
    .array(
      z
        .object({
          name: name,
          production: z.boolean().optional(),
          ouName: z.string().optional().describe('OU name in the phase-first layout; default: capitalized name'),
        })
        .strict(),
    )
    .min(1);

function buildBusinessUnitsSchema(named: Named) {
  return z
    .array(
      z
        .object({
          name: name,
          displayName: z.string().optional(),
          owner: z.string().optional(),
          phases: z
            .array(z.string())
            .optional()
            .describe('the phases this business unit has a planned `{bu}-{phase}` account in (default: every phase); `[]` when it has none, e.g. all its accounts are custom `accounts` entries naming it'),
          extraAccounts: z.array(named(EXTRA_CATALOGUE)).optional(),
          ouName: z.string().optional().describe('OU name in the bu-first layout; default: capitalized name'),
          tags: z.record(z.string(), z.string()).optional(),
        })
        .strict(),
    )
    .min(1);
}

const accountsSchema = () =>
  z
    .array(
      z
        .object({
          name: z.string(),
          ou: z.string().describe('OU path, e.g. `Infrastructure` or `Root/Infrastructure/Data`'),
          purpose: z.string().optional(),
          email: z.string().optional(),
          businessUnit: z.string().optional(),
          phase: z.string().optional(),
          tags: z.record(z.string(), z.string()).optional(),
        })
        .strict(),
    )
    .optional();

function buildBoundariesSchema(named: Named) {
  return z
    .array(
      z
        .object({
          name: z.string(),
          from: selectorSchema,
          to: selectorSchema,
          deny: z.array(named(CAPABILITIES)).min(1),
          except: z.array(z.string()).optional().describe('role names exempt from this boundary'),
        })
        .strict(),
    )
    .optional();
}

function buildSchemas(named: Named) {
  const roleSchema = buildRoleSchema(named);
  const guardrailSchema = buildGuardrailSchema(named);
  /** The whole spec. */
  const specSchema = z
    .object({
      $schema: z.string().optional(),
      version: z.literal(1),
      organization: buildOrganizationSchema(named),
      phases: phasesSchema(),
      businessUnits: buildBusinessUnitsSchema(named),
      sharedAccounts: z.array(named(SHARED_CATALOGUE)).optional(),
      accounts: accountsSchema(),
      roles: z.record(z.string(), roleSchema).optional(),
      identity: buildIdentitySchema(named).optional().describe('how people reach the roles: IAM Identity Center permission sets, identity-account source roles, or an external IdP'),
      guardrails: z.array(guardrailSchema).optional(),
      boundaries: buildBoundariesSchema(named),
      auditScopes: z.array(z.object({ name: z.string(), accounts: selectorSchema }).strict()).optional(),
    })
    .strict();
  return { roleSchema, guardrailSchema, specSchema };
}

const strict = buildSchemas((values) => z.enum(values));

/** The spec, with its closed lists (capabilities, catalogue, presets, layouts) as enums: for the JSON Schema and types. */
export const specSchema = strict.specSchema;
/** A role designed into runtime accounts. */
export const roleSchema = strict.roleSchema;
/** A guardrail: a preset, or a custom SCP or RCP. */
export const guardrailSchema = strict.guardrailSchema;

/**
 * The same shapes, but the closed lists accept any string, so parsing does not stop at a misspelt name: the planner
 * checks membership together with every other reference (one pass, every problem, with did-you-mean).
 */
export const specParseSchema = buildSchemas(<const T extends readonly [string, ...string[]]>(_values: T) => z.string() as unknown as z.ZodType<T[number]>).specSchema;

/** A spec as parsed (before cross-reference validation). */
export type Spec = z.infer<typeof specSchema>;
/** A role entry of the spec. */
export type SpecRole = z.infer<typeof roleSchema>;
/** The `identity` section of the spec. */
export type SpecIdentity = NonNullable<Spec['identity']>;
/** An attach selector of the spec. */
export type SpecAttach = z.infer<typeof attachSchema>;
/** An account selector of the spec. */
export type SpecSelector = z.infer<typeof selectorSchema>;
