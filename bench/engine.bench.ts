/**
 * Engine benchmark (`npm run bench:engine`). Prints what it measured:
 *  (a) the `simulate --batch` path per request: JSON.parse of the line, validation + compile of every policy,
 *      evaluation, JSON.stringify of the result (in-process, no process start-up);
 *  (b) decisions per second on compiled policies and prepared requests, one core
 *      (27 statements per principal across identity policies, boundary, resource policy and 3 SCP levels);
 *  (c) the bulk capability query per principal × resource (six capabilities, every action of the service).
 */
import { valueOf } from '../src/diagnostics/diagnostic.js';
import * as os from 'node:os';
import { simulate } from '../src/policy/simulate.js';
import { buildPolicySet } from '../src/policy/policy-set.js';
import { median } from './common.js';
import { evaluatePrepared, prepareRequest, type PreparedRequest } from '../src/policy/evaluate.js';
import { CapabilityIndex } from '../src/policy/bulk.js';
import { DEFAULT_CATALOG } from '../src/policy/catalog-default.js';

const A = '111122223333';
const B = '444455556666';
const st = (Effect: string, Action: string | string[], Resource: string | string[] = '*', Condition?: object) => ({ Effect, Action, Resource, ...(Condition ? { Condition } : {}) });
const doc = (...Statement: object[]) => ({ Version: '2012-10-17', Statement });

// A realistic principal: app role with data access, read-only ops, guardrails.
const identityPolicies = [
  doc(
    st('Allow', ['s3:GetObject', 's3:GetObjectVersion', 's3:ListBucket'], ['arn:aws:s3:::orders', 'arn:aws:s3:::orders/*']),
    st('Allow', ['s3:PutObject', 's3:DeleteObject'], 'arn:aws:s3:::orders/${aws:PrincipalTag/team}/*'),
    st('Allow', 'dynamodb:*', `arn:aws:dynamodb:*:${A}:table/orders-*`, { StringEquals: { 'aws:RequestedRegion': ['eu-west-1', 'eu-central-1'] } }),
    st('Allow', ['sqs:SendMessage', 'sqs:ReceiveMessage', 'sqs:DeleteMessage'], `arn:aws:sqs:eu-west-1:${A}:orders-*`),
    st('Allow', ['kms:Decrypt', 'kms:GenerateDataKey*'], `arn:aws:kms:eu-west-1:${A}:key/*`, { StringLike: { 'kms:ViaService': 's3.*.amazonaws.com' } }),
    st('Allow', ['logs:CreateLogStream', 'logs:PutLogEvents'], `arn:aws:logs:*:${A}:log-group:/app/*`),
    st('Allow', 'cloudwatch:PutMetricData', '*', { StringEquals: { 'cloudwatch:namespace': 'Orders' } }),
    st('Deny', 's3:*', '*', { Bool: { 'aws:SecureTransport': 'false' } }),
  ),
  doc(
    st('Allow', ['ec2:Describe*', 'cloudwatch:Get*', 'cloudwatch:List*', 'logs:Describe*', 'logs:Get*'], '*'),
    st('Allow', 'sts:AssumeRole', `arn:aws:iam::${B}:role/reporting`),
    st('Deny', ['iam:*', 'organizations:*'], '*'),
    st('Allow', 'secretsmanager:GetSecretValue', `arn:aws:secretsmanager:eu-west-1:${A}:secret:orders/*`, { StringEquals: { 'aws:ResourceTag/team': '${aws:PrincipalTag/team}' } }),
  ),
];
const permissionBoundary = doc(st('Allow', ['s3:*', 'dynamodb:*', 'sqs:*', 'kms:*', 'logs:*', 'cloudwatch:*', 'ec2:Describe*', 'sts:AssumeRole', 'secretsmanager:GetSecretValue'], '*'), st('Deny', 's3:PutBucketPolicy', '*'));
const resourcePolicy = {
  Version: '2012-10-17',
  Statement: [
    { Sid: 'Ours', Effect: 'Allow', Principal: { AWS: A }, Action: 's3:*', Resource: ['arn:aws:s3:::orders', 'arn:aws:s3:::orders/*'] },
    { Sid: 'TLS', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: 'arn:aws:s3:::orders/*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
    { Sid: 'Org', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: 'arn:aws:s3:::orders/*', Condition: { StringNotEqualsIfExists: { 'aws:PrincipalOrgID': 'o-abc123' } } },
  ],
};
const serviceControlPolicies = [
  [doc(st('Allow', '*', '*')), doc(st('Deny', 'organizations:LeaveOrganization', '*'))],
  [doc(st('Allow', '*', '*')), doc({ Effect: 'Deny', NotAction: ['iam:*', 'sts:*', 'cloudfront:*', 'route53:*', 'support:*'], Resource: '*', Condition: { StringNotEquals: { 'aws:RequestedRegion': ['eu-west-1', 'eu-central-1'] }, ArnNotLike: { 'aws:PrincipalARN': 'arn:aws:iam::*:role/breakglass' } } })],
  [doc(st('Allow', '*', '*'))],
];
const statementCount = [...identityPolicies, permissionBoundary, resourcePolicy, ...serviceControlPolicies.flat()].reduce((n, d) => n + d.Statement.length, 0);

const context = { 'aws:SecureTransport': true, 'aws:RequestedRegion': 'eu-west-1', 'aws:PrincipalTag/team': 'retail', 'aws:PrincipalOrgID': 'o-abc123', 'aws:SourceIp': '10.1.2.3', 'kms:ViaService': 's3.eu-west-1.amazonaws.com' };
const requests = [
  ['s3:GetObject', 'arn:aws:s3:::orders/2026/01.csv'],
  ['s3:PutObject', 'arn:aws:s3:::orders/retail/x.csv'],
  ['s3:PutObject', 'arn:aws:s3:::orders/finance/x.csv'],
  ['s3:DeleteBucket', 'arn:aws:s3:::orders'],
  ['dynamodb:Query', `arn:aws:dynamodb:eu-west-1:${A}:table/orders-main`],
  ['dynamodb:PutItem', `arn:aws:dynamodb:eu-west-1:${A}:table/users`],
  ['sqs:SendMessage', `arn:aws:sqs:eu-west-1:${A}:orders-in`],
  ['kms:Decrypt', `arn:aws:kms:eu-west-1:${A}:key/1234`],
  ['ec2:DescribeInstances', '*'],
  ['ec2:RunInstances', `arn:aws:ec2:eu-west-1:${A}:instance/*`],
  ['iam:CreateUser', `arn:aws:iam::${A}:user/x`],
  ['logs:PutLogEvents', `arn:aws:logs:eu-west-1:${A}:log-group:/app/orders:log-stream:1`],
  ['secretsmanager:GetSecretValue', `arn:aws:secretsmanager:eu-west-1:${A}:secret:orders/db-AbCdEf`],
  ['sts:AssumeRole', `arn:aws:iam::${B}:role/reporting`],
] as const;

function line(i: number, unique = false): string {
  const [action, resource] = requests[i % requests.length]!;
  return JSON.stringify({
    request: { principal: `arn:aws:iam::${A}:role/appeng`, action, resource, resourceAccount: i % 7 === 0 ? B : A, context: { ...context, 'aws:ResourceTag/team': i % 2 ? 'retail' : 'finance' } },
    // unique: a distinct Id per line defeats the per-document cache, so every policy is validated and compiled
    identityPolicies: unique ? identityPolicies.map((d, k) => ({ Id: `line-${i}-${k}`, ...d })) : identityPolicies,
    permissionBoundary,
    ...(action.startsWith('s3:') ? { resourcePolicy } : {}),
    serviceControlPolicies,
    resourceControlPolicies: [[], []],
  });
}

interface Timing {
  n: number;
  ms: number;
  cpuMs: number;
  /** Per-round rates (operations per wall second / per CPU second), to show the spread on a shared machine. */
  rounds: { wall: number; cpu: number }[];
}

/**
 * Runs `fn` in 5 rounds of `minMs / 5` wall time each; returns totals (operations, wall ms, CPU ms of this
 * process) and per-round rates. The machine is shared, so the report shows the median and best round too.
 */
function timeIt(fn: () => number, minMs: number): Timing {
  const out: Timing = { n: 0, ms: 0, cpuMs: 0, rounds: [] };
  for (let round = 0; round < 5; round++) {
    let n = 0;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    let ms = 0;
    do {
      n += fn();
      ms = performance.now() - t0;
    } while (ms < minMs / 5);
    const c = process.cpuUsage(c0);
    const cpuMs = (c.user + c.system) / 1000;
    out.n += n;
    out.ms += ms;
    out.cpuMs += cpuMs;
    out.rounds.push({ wall: (n / ms) * 1000, cpu: (n / cpuMs) * 1000 });
  }
  return out;
}

const fmt = (x: number) => Math.round(x).toLocaleString('en-US');

/** `X/s wall-clock (median round M, best B), Y/s per CPU-second`. */
function rate(t: Timing): string {
  const walls = t.rounds.map((r) => r.wall);
  return `${fmt((t.n / t.ms) * 1000)}/s wall-clock (rounds: median ${fmt(median(walls))}, best ${fmt(Math.max(...walls))}), ${fmt((t.n / t.cpuMs) * 1000)}/s per CPU-second`;
}

/** Microseconds per operation: overall wall, best round wall, and CPU. */
function micros(t: Timing): string {
  const best = Math.max(...t.rounds.map((r) => r.wall));
  return `${((t.ms * 1000) / t.n).toFixed(1)} µs wall-clock (best round ${(1e6 / best).toFixed(1)} µs), ${((t.cpuMs * 1000) / t.n).toFixed(1)} µs CPU`;
}

console.log(`bench:engine on ${os.cpus()[0]?.model ?? 'unknown cpu'} (${os.cpus().length} cores visible), node ${process.version}, ${new Date().toISOString()}`);
console.log(`policy set per principal: ${statementCount} statements (2 identity policies, boundary, S3 resource policy, 3 SCP levels)`);

// (a) batch path
if (!process.env['BENCH_ONLY'] || process.env['BENCH_ONLY'] === 'a') {
  const lines = Array.from({ length: 2000 }, (_, i) => line(i));
  const outcomes = new Map<string, number>();
  for (const l of lines.slice(0, requests.length * 2)) {
    const r = simulate(JSON.parse(l));
    const k = r.ok ? r.value.decision : 'error';
    outcomes.set(k, (outcomes.get(k) ?? 0) + 1);
  }
  let idx = 0;
  const t = timeIt(() => {
    for (let k = 0; k < 200; k++) {
      const r = simulate(JSON.parse(lines[idx++ % lines.length]!));
      JSON.stringify(r.ok ? r.value : r.diagnostics);
    }
    return 200;
  }, 3000);
  console.log(`(a) --batch path, same policies on every line (parse line + cached validate/compile + evaluate + print): ${rate(t)} requests; ${((t.cpuMs * 1000) / t.n).toFixed(1)} µs CPU per request (${t.n} requests); outcomes on the request mix: ${JSON.stringify(Object.fromEntries(outcomes))}`);
  const cold = Array.from({ length: 2000 }, (_, i) => line(i, true));
  let j = 0;
  const u = timeIt(() => {
    for (let k = 0; k < 50; k++) {
      const r = simulate(JSON.parse(cold[j++ % cold.length]!));
      JSON.stringify(r.ok ? r.value : r.diagnostics);
    }
    return 50;
  }, 3000);
  console.log(`    distinct identity policies on every line (2 identity policies validated + compiled each time, catalogue checks included): ${rate(u)} requests; ${((u.cpuMs * 1000) / u.n).toFixed(1)} µs CPU per request`);
}

// (b) compiled decisions
if (!process.env['BENCH_ONLY'] || process.env['BENCH_ONLY'] === 'b') {
  const mk = (withResource: boolean) => valueOf(buildPolicySet({ identityPolicies, permissionBoundary, ...(withResource ? { resourcePolicy } : {}), serviceControlPolicies, resourceControlPolicies: [[], []] }));
  const setS3 = mk(true);
  const setOther = mk(false);
  const prepared: { r: PreparedRequest; s3: boolean }[] = [];
  for (let i = 0; i < 512; i++) {
    const [action, resource] = requests[i % requests.length]!;
    const p = prepareRequest({ principal: `arn:aws:iam::${A}:role/appeng`, action, resource, resourceAccount: i % 7 === 0 ? B : A, context: { ...context, 'aws:ResourceTag/team': i % 2 ? 'retail' : 'finance' } });
    if (!p.ok) throw new Error(p.diagnostics[0]!.message);
    prepared.push({ r: p.value, s3: action.startsWith('s3:') });
  }
  const tally = { Allowed: 0, ImplicitlyDenied: 0, ExplicitlyDenied: 0 };
  for (const { r, s3 } of prepared) tally[evaluatePrepared(r, s3 ? setS3 : setOther, false).decision]++;
  const t = timeIt(() => {
    for (let k = 0; k < 100_000; k++) {
      const x = prepared[k & 511]!;
      evaluatePrepared(x.r, x.s3 ? setS3 : setOther, false);
    }
    return 100_000;
  }, 3000);
  console.log(`(b) compiled decisions (no explanation, prepared requests, 1 core): ${rate(t)} decisions (${t.n.toLocaleString('en-US')} in ${t.ms.toFixed(0)} ms); mix of 512 requests: ${JSON.stringify(tally)}`);
  const e = timeIt(() => {
    for (let k = 0; k < 20_000; k++) {
      const x = prepared[k & 511]!;
      evaluatePrepared(x.r, x.s3 ? setS3 : setOther, true);
    }
    return 20_000;
  }, 2000);
  console.log(`    with explanation: ${rate(e)} decisions`);
  const p = timeIt(() => {
    for (let k = 0; k < 20_000; k++) {
      const [action, resource] = requests[k % requests.length]!;
      const q = prepareRequest({ principal: `arn:aws:iam::${A}:role/appeng`, action, resource, context });
      if (q.ok) evaluatePrepared(q.value, action.startsWith('s3:') ? setS3 : setOther, false);
    }
    return 20_000;
  }, 2000);
  console.log(`    including request preparation (context normalisation, caller classification): ${rate(p)} decisions`);
}

// (c) bulk capability query
if (!process.env['BENCH_ONLY'] || process.env['BENCH_ONLY'] === 'c') {
  const set = valueOf(buildPolicySet({ identityPolicies, permissionBoundary, serviceControlPolicies }));
  const index = new CapabilityIndex(set, DEFAULT_CATALOG);
  const caller = { principal: `arn:aws:iam::${A}:role/appeng`, context };
  const resources = [
    ...Array.from({ length: 300 }, (_, i) => `arn:aws:s3:::orders/${i % 3 ? 'retail' : 'finance'}/${i}.csv`),
    ...Array.from({ length: 100 }, (_, i) => `arn:aws:dynamodb:eu-west-1:${A}:table/orders-${i}`),
    ...Array.from({ length: 100 }, (_, i) => `arn:aws:sqs:eu-west-1:${A}:orders-${i}`),
    ...Array.from({ length: 100 }, (_, i) => `arn:aws:kms:eu-west-1:${A}:key/${i}`),
  ];
  const t0 = performance.now();
  for (const svc of ['s3', 'dynamodb', 'sqs', 'kms']) index.classes(svc);
  const warm = performance.now() - t0;
  let allowedCaps = 0;
  const t = timeIt(() => {
    for (const r of resources) {
      const a = index.query(caller, r);
      if (a.ok) for (const c of a.value.capabilities) if (c.allowed) allowedCaps++;
    }
    return resources.length;
  }, 3000);
  // the verifier builds a new caller object per resource (resource tags go into the context): no caller reuse
  const f = timeIt(() => {
    for (const r of resources) index.query({ principal: caller.principal, context: { ...context, 'aws:ResourceTag/team': 'retail' } }, r);
    return resources.length;
  }, 2000);
  const classes = ['s3', 'dynamodb', 'sqs', 'kms'].map((s) => `${s} ${[...index.classes(s).values()].reduce((k, v) => k + v.length, 0)}`).join(', ');
  console.log(`(c) bulk capability query: ${micros(t)} per principal × resource (${t.n.toLocaleString('en-US')} queries over ${resources.length} resources of 4 services; ${(allowedCaps / t.n).toFixed(2)} capabilities allowed per query); one-time class build ${warm.toFixed(1)} ms; action classes per service: ${classes}`);
  console.log(`    with a new caller object per query (caller prepared every time): ${micros(f)} per query`);
}
