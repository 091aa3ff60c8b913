/**
 * The registry of every diagnostic code bulkhead emits: its severity, the area it belongs to and what it means.
 *
 * Codes are stable (tools and tests match on them): add new ones, never renumber or reuse one. A test scans the
 * sources and fails on a code that is missing here, registered but unused, used with another severity, or not in
 * docs/diagnostics.md (which `npm run gen:diagnostics` writes from this table).
 */

/** The severity a code is emitted with; `both` when some uses are errors and others warnings. */
export type CodeSeverity = 'error' | 'warning' | 'both';

/** Where a code comes from, in pipeline order; docs/diagnostics.md has one table per area. */
export const CODE_AREAS = [
  'files',
  'spec',
  'plan',
  'plan/limits',
  'policy documents',
  'policy simulation',
  'capability scope',
  'capability lookup',
  'snapshot',
  'collect',
  'apply',
  'verify',
  'diff',
  'emit',
  'adopt',
  'migrate',
  'output paths',
] as const;

/** One of {@link CODE_AREAS}. */
export type CodeArea = (typeof CODE_AREAS)[number];

/** What the registry knows about one code. */
export interface CodeInfo {
  readonly severity: CodeSeverity;
  readonly area: CodeArea;
  /** One line: what the diagnostic means. */
  readonly meaning: string;
}

/** Every code, keyed by its number (`BH` and four digits). */
export const DIAGNOSTIC_CODES = {
  // files: reading the input files (io/)
  BH0001: { severity: 'error', area: 'files', meaning: 'the input file is missing or unreadable' },
  BH0002: { severity: 'error', area: 'files', meaning: 'the input path is a directory, not a file' },
  BH0003: { severity: 'error', area: 'files', meaning: 'an input file or standard input is not valid UTF-8 (the position of the first bad byte is given)' },

  // spec: YAML syntax and the shape of the spec (spec/)
  BH1001: { severity: 'error', area: 'spec', meaning: 'invalid YAML, or a spec larger than 5 MiB' },
  BH1002: { severity: 'error', area: 'spec', meaning: 'a key appears twice in one YAML mapping' },
  BH1003: { severity: 'error', area: 'spec', meaning: 'wrong type, empty list, value out of range or not one of the allowed values' },
  BH1004: { severity: 'error', area: 'spec', meaning: 'unknown key (with did-you-mean)' },
  BH1005: { severity: 'error', area: 'spec', meaning: 'a required key is missing' },
  BH1006: { severity: 'error', area: 'spec', meaning: 'unsupported spec `version`' },
  BH1007: { severity: 'error', area: 'spec', meaning: 'a mapping key the spec cannot hold (`__proto__`): it would be dropped silently' },
  BH1008: { severity: 'error', area: 'spec', meaning: 'the spec nests lists and mappings deeper than 64 levels (refused before the YAML parser reads it)' },
  BH1009: { severity: 'error', area: 'spec', meaning: 'an alias inside the value its own anchor names (`&a [*a]`): the value would contain itself' },

  // plan: names, references and advice (plan/)
  BH1010: { severity: 'error', area: 'plan', meaning: 'unknown phase (with did-you-mean)' },
  BH1011: { severity: 'error', area: 'plan', meaning: 'unknown business unit (with did-you-mean)' },
  BH1012: { severity: 'error', area: 'plan', meaning: 'unknown account, or the management account is missing from the plan' },
  BH1013: { severity: 'error', area: 'plan', meaning: 'unknown shared account, per-business-unit account or OU layout' },
  BH1015: { severity: 'error', area: 'plan', meaning: 'unknown guardrail preset' },
  BH1016: { severity: 'error', area: 'plan', meaning: 'a name declared or listed twice' },
  BH1017: { severity: 'error', area: 'plan', meaning: 'a phase or business unit name is not lowercase letters, digits and hyphens' },
  BH1023: { severity: 'error', area: 'plan', meaning: '`emailTemplate` has no `{account}` placeholder' },
  BH1024: { severity: 'error', area: 'plan', meaning: 'an `ouName` is not one OU name (contains `/`, is `.`/`..`, empty, a control character, or over 128 characters)' },
  BH1025: { severity: 'error', area: 'plan', meaning: 'an account name or `accountPrefix` with `{` or `}`, which would break account references (`{{account:NAME}}`)' },
  BH1026: { severity: 'error', area: 'plan', meaning: 'a tag AWS refuses: key not 1–128 or value over 256 characters, a character outside letters, digits, spaces and `_.:/=+-@`, the reserved `aws:` prefix, or more than 50 tags on a resource' },
  BH1041: { severity: 'error', area: 'plan', meaning: 'a guardrail `policy` is not an SCP (or, with `type: rcp`, RCP) document: a mapping with `Version` and `Statement`' },
  BH1042: { severity: 'error', area: 'plan', meaning: 'not an AWS region code (checked against AWS\'s partition data, with did-you-mean)' },
  BH1043: { severity: 'error', area: 'plan', meaning: 'two accounts with the same name' },
  BH1044: { severity: 'error', area: 'plan', meaning: 'bad or unknown OU path' },
  BH1045: { severity: 'error', area: 'plan', meaning: 'an `assumedFrom` principal ARN or SAML provider ARN is malformed' },
  BH1050: { severity: 'warning', area: 'plan', meaning: 'no phase is marked `production: true`' },
  BH1051: { severity: 'warning', area: 'plan', meaning: 'a role is created in no account (no runtime account has a phase in its `access`)' },
  BH1052: { severity: 'warning', area: 'plan', meaning: 'a guardrail is attached to the management account, which SCPs never restrict' },
  BH1053: { severity: 'warning', area: 'plan', meaning: 'an empty selector, which selects every account' },
  BH1054: { severity: 'warning', area: 'plan', meaning: 'a boundary `except` names no role of the spec' },
  BH1055: { severity: 'warning', area: 'plan', meaning: 'an `access` entry gives a role no permission policy (no action has only those capabilities)' },
  BH1056: { severity: 'warning', area: 'plan', meaning: 'a region code shaped like an AWS region but not in bulkhead\'s list (a region newer than the list, or a typo)' },
  BH1057: { severity: 'error', area: 'plan', meaning: 'a data-perimeter RCP preset\'s `organizationId` that is not `o-` followed by 10–32 lowercase letters or digits (without it, the preset names the organization being designed)' },
  BH1058: { severity: 'error', area: 'plan', meaning: 'a data-perimeter-network preset without `sourceIps` or `sourceVpcs`, or with a value that is not a CIDR range or VPC id' },
  BH1059: { severity: 'warning', area: 'plan', meaning: '`identity.groups` with provider `external`, which plans no groups (the external IdP maps its own groups through `assumedFrom`)' },
  BH1060: { severity: 'error', area: 'plan', meaning: 'an `identity` group role is not written `role@phase`, `bu/role@phase` or `role@*`' },
  BH1061: { severity: 'error', area: 'plan', meaning: 'an `identity` group names an unknown role (with did-you-mean)' },
  BH1062: { severity: 'error', area: 'plan', meaning: 'an `identity` group gives a role in a phase the role has no `access` in, or in a business unit without that phase' },
  BH1063: { severity: 'error', area: 'plan', meaning: 'unknown `identity.provider` (with did-you-mean)' },
  BH1064: { severity: 'error', area: 'plan', meaning: 'a role no one can reach: no `assumedFrom` and no `identity` group gives it' },
  BH1065: { severity: 'error', area: 'plan', meaning: 'an Identity Center name or setting AWS would refuse: a permission set name over 32 characters, a session duration outside PT1H–PT12H, a group name unusable as a role name for identity-account' },
  BH1066: { severity: 'error', area: 'plan', meaning: 'unknown custom guardrail `type` (`scp` or `rcp`, with did-you-mean)' },

  // plan/limits: AWS quotas and naming rules checked on the planned model (plan/limits.ts)
  BH1020: { severity: 'error', area: 'plan/limits', meaning: 'an account name is not 1–50 printable ASCII characters' },
  BH1021: { severity: 'error', area: 'plan/limits', meaning: 'an email address (or the addresses an email template gives) is invalid' },
  BH1022: { severity: 'error', area: 'plan/limits', meaning: 'one email address is used by several accounts' },
  BH1030: { severity: 'error', area: 'plan/limits', meaning: 'an OU nested deeper than 5 levels, or more than 2,000 OUs' },
  BH1031: { severity: 'error', area: 'plan/limits', meaning: 'more SCPs attached to one target than the quota (10, or `organization.quotas.scpsPerTarget`; FullAWSAccess counts)' },
  BH1032: { severity: 'error', area: 'plan/limits', meaning: 'an SCP over the size quota (10,240 characters minified, or `organization.quotas.scpCharacters`)' },
  BH1033: { severity: 'error', area: 'plan/limits', meaning: 'a role name that is not 1–64 letters, digits and `+=,.@_-`' },
  BH1034: { severity: 'error', area: 'plan/limits', meaning: 'a role path that does not start and end with `/` or is not printable ASCII up to 512 characters' },
  BH1035: { severity: 'error', area: 'plan/limits', meaning: 'role names that clash case-insensitively in one account' },
  BH1036: { severity: 'both', area: 'plan/limits', meaning: 'a trust policy over the 2,048-character default quota (warning: request an increase) or over the 4,096 maximum (error)' },
  BH1037: { severity: 'error', area: 'plan/limits', meaning: 'a managed policy over 6,144 characters' },
  BH1038: { severity: 'error', area: 'plan/limits', meaning: "a role's inline policies over 10,240 characters in total" },
  BH1039: { severity: 'both', area: 'plan/limits', meaning: 'more than the default 10 managed policies on one role (warning: request an increase) or more than the maximum 25 (error)' },
  BH1040: { severity: 'warning', area: 'plan/limits', meaning: 'more accounts than the account quota (says how many to request)' },
  BH1046: { severity: 'error', area: 'plan/limits', meaning: 'an RCP over the size quota (5,120 characters minified, or `organization.quotas.rcpCharacters`)' },
  BH1047: { severity: 'error', area: 'plan/limits', meaning: 'more RCPs attached to one target than the quota (5, or `organization.quotas.rcpsPerTarget`)' },

  // policy documents: the policy engine's validator (policy/parse.ts)
  BH3001: { severity: 'error', area: 'policy documents', meaning: 'malformed JSON (with line and column)' },
  BH3002: { severity: 'both', area: 'policy documents', meaning: 'too large for the policy type (warning above a raisable default quota); oversized input is refused' },
  BH3003: { severity: 'error', area: 'policy documents', meaning: 'wrong JSON type (document, `Statement`, `Id`, `Sid`, list entries) or an empty list' },
  BH3004: { severity: 'error', area: 'policy documents', meaning: 'unknown policy or statement element (with did-you-mean; names are case-sensitive)' },
  BH3005: { severity: 'both', area: 'policy documents', meaning: 'bad `Version`; a missing `Version` is a warning (RCPs require `2012-10-17`)' },
  BH3006: { severity: 'both', area: 'policy documents', meaning: 'missing `Statement`; an empty `Statement` list is a warning' },
  BH3007: { severity: 'error', area: 'policy documents', meaning: 'missing or bad `Effect`' },
  BH3008: { severity: 'error', area: 'policy documents', meaning: 'both or neither of `Action` and `NotAction`' },
  BH3009: { severity: 'error', area: 'policy documents', meaning: 'both `Resource` and `NotResource`, or neither where the policy type needs one' },
  BH3010: { severity: 'both', area: 'policy documents', meaning: 'principal problems (missing, unknown type, bad AWS principal, `NotPrincipal` with Allow); unique-id or odd service principals and any `NotPrincipal` (AWS advises `aws:PrincipalArn` conditions instead) are warnings' },
  BH3011: { severity: 'error', area: 'policy documents', meaning: 'an action that is not `service:Action` or `*`' },
  BH3012: { severity: 'warning', area: 'policy documents', meaning: 'unknown service prefix in an action (with did-you-mean)' },
  BH3013: { severity: 'warning', area: 'policy documents', meaning: 'unknown action, or an action pattern that matches no known action' },
  BH3014: { severity: 'both', area: 'policy documents', meaning: 'an invalid ARN in `Resource` or `NotResource`; an ARN with an empty resource part (which AWS stores and which matches no resource) is a warning' },
  BH3015: { severity: 'error', area: 'policy documents', meaning: 'unknown condition operator (with did-you-mean)' },
  BH3016: { severity: 'error', area: 'policy documents', meaning: 'a bad condition block or value (booleans, numbers, dates, CIDRs)' },
  BH3017: { severity: 'warning', area: 'policy documents', meaning: "a condition key without prefix, unknown, or not in the request context of the statement's actions" },
  BH3018: { severity: 'error', area: 'policy documents', meaning: 'duplicate `Sid`' },
  BH3019: { severity: 'both', area: 'policy documents', meaning: 'an element not allowed for the policy type; an action without effect in a trust policy is a warning' },
  BH3020: { severity: 'error', area: 'policy documents', meaning: 'a character outside tab, newline and U+0020–U+00FF in an IAM policy' },
  BH3021: { severity: 'error', area: 'policy documents', meaning: 'the document cannot be serialised as JSON (cyclic or nested too deeply)' },
  BH3022: { severity: 'error', area: 'policy documents', meaning: 'resource control policy rules: Allow only as RCPFullAWSAccess, `Principal` must be `"*"`' },
  BH3023: { severity: 'error', area: 'policy documents', meaning: 'a wildcard inside a principal, or `"Service": "*"`-style principals' },
  BH3024: { severity: 'warning', area: 'policy documents', meaning: 'a policy variable without `"Version": "2012-10-17"`, or a malformed variable' },
  BH3025: { severity: 'error', area: 'policy documents', meaning: 'a `Sid` with characters other than letters and digits in an IAM policy' },

  // policy simulation: input of `bulkhead simulate` and the library's simulate (policy/)
  BH3100: { severity: 'error', area: 'policy simulation', meaning: 'simulate input is not an object, has unknown keys, misses `request` or `identityPolicies`, or is an empty line' },
  BH3101: { severity: 'error', area: 'policy simulation', meaning: 'a policy list is not an array, or `managementAccountId` is not a 12-digit account id' },
  BH3102: { severity: 'error', area: 'policy simulation', meaning: 'a bad request field (principal, action, resource or context)' },
  BH3103: { severity: 'warning', area: 'policy simulation', meaning: 'a policy given as an empty object is treated as absent' },
  BH3104: { severity: 'error', area: 'policy simulation', meaning: 'a simulate input line nests objects and lists deeper than 100 levels (refused before it is parsed)' },
  BH3105: { severity: 'error', area: 'policy simulation', meaning: 'a `simulate --batch` line is longer than 64 MiB (67,108,864 characters; refused unread, its excess skipped)' },
  BH3150: { severity: 'warning', area: 'policy simulation', meaning: 'a `simulate --batch` worker thread failed; the main thread evaluated its lines (same results, more time)' },

  // capability scope: capabilities and services a spec asks policies for (catalog/, plan/)
  BH4001: { severity: 'error', area: 'capability scope', meaning: 'unknown capability (in `access` or a boundary `deny`; with did-you-mean)' },
  BH4002: { severity: 'error', area: 'capability scope', meaning: 'unknown service prefix in `access` (with did-you-mean)' },

  // capability lookup: the `capabilities` command
  BH4003: { severity: 'error', area: 'capability lookup', meaning: 'unknown action, or text without `service:` (with did-you-mean)' },
  BH4004: { severity: 'error', area: 'capability lookup', meaning: 'an action pattern that matches no catalogue action' },

  // snapshot: reading a snapshot directory (io/, snapshot/)
  BH6001: { severity: 'error', area: 'snapshot', meaning: 'the snapshot directory or one of its files is missing' },
  BH6002: { severity: 'error', area: 'snapshot', meaning: 'a snapshot file is not valid JSON (with line and column)' },
  BH6003: { severity: 'error', area: 'snapshot', meaning: 'a snapshot field is invalid' },
  BH6004: { severity: 'error', area: 'snapshot', meaning: 'unsupported snapshot format version' },
  BH6005: { severity: 'both', area: 'snapshot', meaning: 'a dangling parent id (error) or policy target id (warning; the target is left out)' },
  BH6006: { severity: 'warning', area: 'snapshot', meaning: 'an account name used by several accounts (the model calls it `name (id)`)' },
  BH6007: { severity: 'warning', area: 'snapshot', meaning: 'an attached managed policy without its document (treated as granting nothing)' },
  BH6008: { severity: 'both', area: 'snapshot', meaning: 'an account that could not be collected, a policy document that could not be decoded, or IAM Identity Center not read (wholly or in part)' },
  BH6009: { severity: 'warning', area: 'snapshot', meaning: 'an ACTIVE account in `organization.json` has no account file in the snapshot: its IAM and resources are not analysed (`summary.incomplete`, exit 4)' },
  BH6010: { severity: 'warning', area: 'snapshot', meaning: 'an account file in `accounts/` that `manifest.accountFiles` does not list: it is not read' },
  BH6011: { severity: 'error', area: 'snapshot', meaning: 'snapshot files disagree: an account file whose id is not its file name, an account id listed twice, or an account file for an account `organization.json` does not list' },
  BH6012: { severity: 'error', area: 'snapshot', meaning: 'a `__proto__` key where the snapshot format has fields (it would be dropped silently); as a tag key or inside a policy document it is data and kept' },
  BH6013: { severity: 'warning', area: 'snapshot', meaning: 'accounts that are not ACTIVE (suspended, closing, pending activation) have no account file: they were not collected' },
  BH6014: { severity: 'warning', area: 'snapshot', meaning: 'a key the snapshot format does not know (misspelt, or written by a newer bulkhead) is ignored; the message lists the keys allowed there, with did-you-mean. Keys of tags and policy documents are data and never reported' },
  BH6020: { severity: 'error', area: 'snapshot', meaning: 'a snapshot file nests objects and lists deeper than 100 levels (refused before it is parsed)' },

  // collect: the `collect` command
  BH6101: { severity: 'error', area: 'collect', meaning: 'the organization cannot be read (credentials, management account, endpoint)' },
  BH6102: { severity: 'error', area: 'collect', meaning: 'the AWS endpoint cannot be reached (connection refused, name not found, connect or request timeout) after the network attempts' },

  // apply: the `apply` command
  BH6240: { severity: 'warning', area: 'collect', meaning: 'an unfinished collect of the same organization and options was resumed: the accounts already complete were not read again' },
  BH6241: { severity: 'error', area: 'collect', meaning: 'the unfinished collect to resume read another organization than the credentials reach (resuming would mix two organizations)' },
  BH6242: { severity: 'error', area: 'collect', meaning: 'the unfinished collect to resume was started with other options (regions, access role, resources)' },
  BH6243: { severity: 'error', area: 'collect', meaning: 'the collect staging directory beside the output cannot be used (not a bulkhead staging area, not a directory, or not writable); it is never removed' },
  BH6244: { severity: 'warning', area: 'collect', meaning: 'an unfinished collect found beside the output was discarded because --resume was not given' },
  BH6245: { severity: 'error', area: 'collect', meaning: 'the collect was stopped (abort signal) before every account was read; the complete accounts are kept for --resume' },
  BH6201: { severity: 'error', area: 'apply', meaning: 'the live organization cannot be read' },
  BH6202: { severity: 'error', area: 'apply', meaning: 'IAM cannot be read in an account, so apply cannot compare its roles' },
  BH6203: { severity: 'error', area: 'apply', meaning: 'a step failed; running apply again resumes from the live state' },
  BH6204: { severity: 'error', area: 'apply', meaning: 'the AWS endpoint cannot be reached (connection refused, name not found, connect or request timeout) after the network attempts' },
  BH6205: { severity: 'error', area: 'apply', meaning: 'the apply journal cannot be read or written (a directory, a file in its path, permission), or one of its lines is not a journal entry (file:line says which)' },
  BH6206: { severity: 'error', area: 'apply', meaning: 'another apply holds the journal lock (its pid, host and start time are given)' },
  BH6207: { severity: 'error', area: 'apply', meaning: 'the plan uses IAM Identity Center and it cannot be read, or has no instance in its home region' },
  BH6208: { severity: 'warning', area: 'apply', meaning: 'a part of IAM Identity Center apply does not manage (a permission set\'s permissions boundary) could not be read' },

  // verify: the `verify` command and its policy engine adapter (verify/, operations/)
  BH7001: { severity: 'error', area: 'verify', meaning: 'the verify target (spec file or snapshot directory) does not exist' },
  BH7002: { severity: 'error', area: 'verify', meaning: '`--spec` was given for a target that is a spec already (a usage error)' },
  BH7101: { severity: 'warning', area: 'verify', meaning: 'a policy, or some of its statements, could not be evaluated and is left out of the analysis (`summary.incomplete`, exit 4)' },
  BH7102: { severity: 'warning', area: 'verify', meaning: 'a principal cannot be evaluated on a resource or role' },
  BH7103: { severity: 'warning', area: 'verify', meaning: 'a verify worker thread failed; its share ran on the main thread' },
  BH7200: { severity: 'warning', area: 'verify', meaning: "an Identity Center assignment (or identity-account source role) has no role in the model, so its group's people paths there are left out" },
  BH7250: { severity: 'warning', area: 'verify', meaning: "an explicit `--threads` count likely exceeds the memory budget: its threads' estimated live heaps exceed half the heap limit (verify, or diff for its before side, runs on that count anyway)" },

  // emit: checks on the model before writing Terraform or CloudFormation (emit/)
  BH8101: { severity: 'error', area: 'emit', meaning: 'an OU path (of an OU, an account or an SCP target) is not in the model' },
  BH8102: { severity: 'error', area: 'emit', meaning: 'an account named by a role, SCP target, policy placeholder or `--account-id` is not in the model' },
  BH8103: { severity: 'error', area: 'emit', meaning: 'the management account is not among the accounts' },
  BH8104: { severity: 'error', area: 'emit', meaning: 'a policy document is not a JSON object' },
  BH8105: { severity: 'error', area: 'emit', meaning: 'two names map to the same resource address' },
  BH8106: { severity: 'error', area: 'emit', meaning: 'one managed policy name with two different documents in one account' },
  BH8107: { severity: 'error', area: 'emit', meaning: 'a malformed adoption id (account or organization id)' },
  BH8108: { severity: 'error', area: 'emit', meaning: 'the model has IAM users, which emitters do not write' },
  BH8109: { severity: 'error', area: 'emit', meaning: 'a `--rename-*` target is not in the model' },
  BH8110: { severity: 'warning', area: 'emit', meaning: 'adoption ids and renames are ignored by the CloudFormation output' },
  BH8111: { severity: 'error', area: 'emit', meaning: '`--access-role-name` is not a valid IAM role name' },
  BH8112: { severity: 'error', area: 'emit', meaning: 'a role name, role path or IAM policy name IAM would refuse' },
  BH8113: { severity: 'error', area: 'emit', meaning: 'a tag AWS would refuse' },
  BH8114: { severity: 'error', area: 'emit', meaning: 'an account name or email AWS would refuse' },
  BH8115: { severity: 'error', area: 'emit', meaning: 'a duplicate account name, email, OU path, role or organization policy name' },
  BH8116: { severity: 'error', area: 'emit', meaning: 'an Identity Center group, permission set or assignment AWS would refuse or that names something the model does not have' },

  // emit output: the output directory of the `emit` command (cli/)
  BH8120: { severity: 'error', area: 'output paths', meaning: 'the output directory holds files bulkhead did not write (use another directory or `--force`)' },
  BH8121: { severity: 'error', area: 'output paths', meaning: 'the output path exists and is not a directory' },
  BH8122: { severity: 'error', area: 'output paths', meaning: 'writing an output failed (permission, a file in the path, no space); nothing was changed' },
  BH8123: { severity: 'warning', area: 'output paths', meaning: "the output directory's `.bulkhead-emit.json` is not a bulkhead manifest, so its files count as foreign" },
  BH8124: { severity: 'error', area: 'output paths', meaning: 'the output directory contains the spec or a `.git` repository (refused even with `--force`)' },
  BH8125: { severity: 'error', area: 'output paths', meaning: 'a file output (`--out`, `-o`) names a directory' },
  BH8126: { severity: 'error', area: 'output paths', meaning: 'a file output exists and may not be overwritten (`init` without `--force`)' },
  BH8127: { severity: 'error', area: 'output paths', meaning: 'the output directory holds another kind of bulkhead output (an emit output vs a snapshot); `--force` replaces it' },

  // verify: the CI gate (baselines, exclusions) and policy-change checks
  BH9140: { severity: 'error', area: 'verify', meaning: 'the `--baseline` file is not a verify JSON report (`schemaVersion: 1` with a `findings` list)' },
  BH9141: { severity: 'error', area: 'verify', meaning: 'a baseline finding lacks `rule`, `principal`, `account`, `resources` or `capabilities`, or has the wrong type' },
  BH9142: { severity: 'error', area: 'verify', meaning: 'the `--exclusions` file is not YAML/JSON or not a mapping with an `exclusions` list' },
  BH9143: { severity: 'error', area: 'verify', meaning: 'an exclusion entry lacks a required field, has an unknown one, or a value that is not a non-empty string' },
  BH9144: { severity: 'error', area: 'verify', meaning: 'an exclusion entry\'s `expires` is not an ISO date (YYYY-MM-DD)' },
  BH9145: { severity: 'error', area: 'verify', meaning: 'a `check not-granted --actions` entry is no catalogue action, or a pattern that matches none' },
  BH9146: { severity: 'error', area: 'verify', meaning: 'a `check not-granted --capabilities` entry is not a capability' },
  BH9147: { severity: 'error', area: 'verify', meaning: '`check not-granted` was given neither `--actions` nor `--capabilities`' },
  BH9200: { severity: 'warning', area: 'adopt', meaning: 'an adopted account does not fit the design (kitchen-sink, unattributed, mixed OU); the spec comments it' },
  BH9201: { severity: 'warning', area: 'adopt', meaning: 'an SCP or RCP has no guardrail form (it is attached nowhere) and is left out of the adopted spec' },
  BH9202: { severity: 'error', area: 'adopt', meaning: 'the adopt input is no snapshot directory' },
  BH9230: { severity: 'error', area: 'migrate', meaning: 'the migrate input is no snapshot directory' },
  BH9231: { severity: 'error', area: 'migrate', meaning: 'the snapshot has no workload inventory (collected before inventory existed, or with `--no-resources`)' },
  BH9232: { severity: 'warning', area: 'migrate', meaning: 'inventory resources whose phase or business unit stays undecided (tags, names, stacks, account)' },
  BH9233: { severity: 'warning', area: 'migrate', meaning: 'a group of strongly coupled resources mixes phases or business units, so it is flagged and not moved' },
  BH9234: { severity: 'warning', area: 'migrate', meaning: 'the target spec has no account for a group\'s phase and business unit, so the group is not moved' },
  BH9235: { severity: 'warning', area: 'migrate', meaning: 'a policy condition pinning an account id or a source ARN stops matching when a resource moves' },
  BH9236: { severity: 'warning', area: 'migrate', meaning: 'the projected organization after the migration still has boundary findings' },
  BH9237: { severity: 'error', area: 'migrate', meaning: 'the migrate report format is unknown' },
  BH9260: { severity: 'warning', area: 'migrate', meaning: 'legacy resources or roles of one name move into one target account and would share one ARN: all but one must be renamed before the move' },
  BH9261: { severity: 'warning', area: 'migrate', meaning: 'a role run by workloads that go to several accounts is copied into each of them (a new role per account), so its trust and resource-policy grants must name each copy' },
  BH9204: { severity: 'warning', area: 'adopt', meaning: 'a role common to several accounts has no spec form (no capability in its policies, or a trust policy naming no account, role or SAML provider) and is left out' },
  BH9205: { severity: 'warning', area: 'adopt', meaning: '`emit --adopt`: the snapshot\'s organization id has no AWS shape, so no import block is written for the organization' },
  BH9206: { severity: 'warning', area: 'adopt', meaning: '`emit --adopt` in the `stacksets` layout: planned member-account roles exist already, and StackSet instances cannot adopt them (use `--terraform-layout provider-aliases`)' },
  BH9207: { severity: 'warning', area: 'adopt', meaning: 'a live account or SCP/RCP name the spec grammar refuses (braces, not printable ASCII, over 50 characters, an RCP named like an SCP, AWS\'s own policy names) is written under another spec name; the id mapping keeps the live name' },
  BH9208: { severity: 'warning', area: 'adopt', meaning: 'the snapshot is incomplete (accounts that failed or were not collected, or missing parts), so the adopted spec lacks them; adopt exits 4' },
  BH9203: { severity: 'error', area: 'adopt', meaning: '`emit --adopt`: the snapshot cannot be read, or the format is CloudFormation (which adopts through resource-import change sets)' },
  BH9100: { severity: 'error', area: 'diff', meaning: 'a side of `diff` or `drift` does not exist (neither a spec file nor a snapshot directory)' },
  BH9101: { severity: 'error', area: 'diff', meaning: 'a `FILE@REV` side is not inside a git repository' },
  BH9102: { severity: 'error', area: 'diff', meaning: 'a `FILE@REV` side names a git revision the repository does not have' },
  BH9103: { severity: 'error', area: 'diff', meaning: 'a `FILE@REV` side names a file that is not in that git revision' },
  BH9104: { severity: 'error', area: 'diff', meaning: 'a `FILE@REV` side needs git, which is not installed or not on the PATH' },
  BH9105: { severity: 'error', area: 'diff', meaning: 'a `DIR@DATE` / `DIR@latest` history reference names a plain snapshot directory, not a snapshot history (`collect --history`)' },
  BH9170: { severity: 'error', area: 'diff', meaning: 'a directory given as a snapshot history (`collect --history DIR`, `DIR@latest`) is not one: files bulkhead did not write, or no readable `history.json`' },
  BH9171: { severity: 'error', area: 'diff', meaning: 'a history reference `DIR@YYYY-MM-DD` names no calendar date' },
  BH9172: { severity: 'error', area: 'diff', meaning: 'a history reference names no entry: the history is empty, or has no entry on or before the date' },
  BH9173: { severity: 'error', area: 'diff', meaning: 'a snapshot history is damaged: an entry or an object is missing, unreadable, or does not match its hash' },
  BH9174: { severity: 'error', area: 'diff', meaning: '`collect --history`: the history has an entry for this collection time already (never overwritten)' },
  BH9176: { severity: 'error', area: 'collect', meaning: '`collectToDirectory` was given neither a snapshot directory (`out`) nor a history (`history`)' },
  BH9175: { severity: 'error', area: 'diff', meaning: 'a `DIR@X` side names a snapshot history but `X` is neither `latest` nor a date `YYYY-MM-DD`' },
  BH9106: { severity: 'error', area: 'diff', meaning: '`drift` compares a spec (the design) with a snapshot directory (live); a side is of the other kind' },
  BH9107: { severity: 'warning', area: 'diff', meaning: "a diff worker thread failed; its share of the before side's engine questions ran on the main thread" },
} as const satisfies Record<`BH${string}`, CodeInfo>;

/** A registered diagnostic code, e.g. `'BH1001'`. */
export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

/** True when `code` is in the registry. */
export function isDiagnosticCode(code: string): code is DiagnosticCode {
  return Object.hasOwn(DIAGNOSTIC_CODES, code);
}

/** What the registry says about `code`, or undefined when it is not registered. */
export function describeCode(code: string): CodeInfo | undefined {
  return isDiagnosticCode(code) ? DIAGNOSTIC_CODES[code] : undefined;
}
