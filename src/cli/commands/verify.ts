/**
 * `bulkhead verify TARGET [--spec SPEC]`: the command's options; the work is in ./verify-action.ts, loaded
 * when it runs.
 */
import { Option } from 'commander';
import type { ReportFormat } from '../../report/render.js';
import type { FindingSeverity } from '../../verify/finding.js';
import { positiveInteger, threadsValue } from '../option-values.js';
import type { VerifyCliOptions } from './verify-action.js';
import type { CommandRegistrar } from './registrar.js';

/*
 * The choices are spelled out here rather than imported: src/report/render.ts loads every renderer and
 * src/verify/finding.ts the IAM catalogue, which `--help` must not pay for. A test keeps the lists equal.
 */
/** The `--format` choices: `REPORT_FORMATS` of src/report/render.ts. */
export const VERIFY_REPORT_FORMATS = ['terminal', 'json', 'sarif', 'markdown', 'html'] as const satisfies readonly ReportFormat[];
/** The `--fail-on` severities, most severe first: `SEVERITIES` of src/verify/finding.ts. */
export const VERIFY_SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const satisfies readonly FindingSeverity[];

/** Registers `verify`. */
export const registerVerify: CommandRegistrar = (program, io, setExit) => {
  program
    .command('verify')
    .description('prove the account boundaries hold: access graph, boundary, blast-radius, fault-boundary, audit-scope and hygiene findings')
    .argument('<target>', 'spec file (design time), snapshot directory from `bulkhead collect` (live), or `DIR@YYYY-MM-DD` / `DIR@latest` of a snapshot history')
    .option('--spec <spec>', 'spec whose business units, phases, boundaries and audit scopes apply to a snapshot')
    .addOption(new Option('-f, --format <format>', 'output format').choices([...VERIFY_REPORT_FORMATS]).default('terminal'))
    .option('-o, --out <file>', 'write the report to this file instead of stdout (- for stdout)')
    .addOption(
      new Option('--fail-on <severity>', 'exit 3 when a finding is at or above this severity').choices([...VERIFY_SEVERITIES, 'none']).default('high'),
    )
    .option('--destroy-threshold <n>', 'accounts a principal may destroy in before blast radius is a finding', positiveInteger('--destroy-threshold'), 3)
    .option('--baseline <file>', 'a previous `verify --format json` report: report and gate only findings not in it')
    .option('--exclusions <file>', 'YAML or JSON list of accepted findings (rule, principal, resource, reason, owner, expires); expired entries become findings')
    .option('--default-boundaries', 'apply the default boundaries even when the spec declares its own')
    .option('--top <n>', 'findings listed in the terminal summary', positiveInteger('--top'), 10)
    .option(
      '--threads <n>',
      'threads for the engine queries, at most the cores (`auto`: 1, or one per idle core for large organizations on 4 or more cores with 2 or more idle, no more than fit in the heap limit)',
      threadsValue('--threads'),
      'auto',
    )
    .action(async (target: string, opts: VerifyCliOptions) => (await import('./verify-action.js')).runVerify(io, setExit, target, opts));
};
