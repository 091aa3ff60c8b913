/**
 * `bulkhead verify TARGET [--spec SPEC]`: checks a designed (spec file) or collected (snapshot directory)
 * organization against its intended boundaries and renders the findings.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import { extname, join, relative, resolve } from 'node:path';
import { Option } from 'commander';
import { error } from '../../diagnostics/diagnostic.js';
import type { OrganizationModel } from '../../model/organization.js';
import { loadSnapshot } from '../../snapshot/load.js';
import { writeFileAtomic } from '../../io/files.js';
import { renderHtml } from '../../report/html.js';
import { renderJson } from '../../report/json.js';
import { renderMarkdown } from '../../report/markdown.js';
import { renderSarif } from '../../report/sarif.js';
import { renderTerminal } from '../../report/terminal.js';
import { createEngineEvaluator } from '../../verify/engine-adapter.js';
import { atOrAbove, SEVERITIES, type FindingSeverity } from '../../verify/finding.js';
import { verifyModel } from '../../verify/verify.js';
import { verifyModelParallel } from '../../operations/verify-threads.js';
import { availableParallelism } from 'node:os';
import { printDiagnostics } from '../diagnostics-output.js';
import { ExitCode, UsageError, type CliIo } from '../io.js';
import { loadSpecModel } from '../spec-input.js';
import type { CommandRegistrar } from './registrar.js';

type Format = 'terminal' | 'json' | 'sarif' | 'markdown' | 'html';

interface VerifyCliOptions {
  spec?: string;
  format: Format;
  out?: string;
  failOn: FindingSeverity | 'none';
  destroyThreshold: string;
  defaultBoundaries?: boolean;
  top: string;
  threads: string;
}

/** Organizations with at least this many principals are verified on several threads by default. */
const PARALLEL_MIN_PRINCIPALS = 1000;

/** Reads every file of a snapshot directory (manifest, organization, accounts/*) into a map for the loader. */
async function readSnapshotDir(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const walk = async (rel: string): Promise<void> => {
    for (const e of await readdir(join(dir, rel), { withFileTypes: true })) {
      const r = rel === '' ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) await walk(r);
      else if (e.isFile() && extname(e.name) === '.json') files.set(r, await readFile(join(dir, r), 'utf8'));
    }
  };
  await walk('');
  return files;
}

/** Loads TARGET: a snapshot directory or a spec file. Prints diagnostics; undefined when invalid. */
async function loadTarget(io: CliIo, target: string): Promise<OrganizationModel | undefined> {
  if (target === '-') return loadSpecModel(io, target);
  const abs = resolve(io.cwd, target);
  let isDir: boolean;
  try {
    isDir = (await stat(abs)).isDirectory();
  } catch {
    printDiagnostics(io, [
      { ...error('BH7001', `verify target \`${target}\` does not exist; give a spec file or a snapshot directory from \`bulkhead collect\``), file: target },
    ]);
    return undefined;
  }
  if (!isDir) return loadSpecModel(io, target);
  const r = loadSnapshot(await readSnapshotDir(abs), target);
  printDiagnostics(io, r.diagnostics);
  return r.ok ? r.value : undefined;
}

function positiveInt(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} must be a positive integer, got \`${value}\``);
  return n;
}

/** Registers `verify`. */
export const registerVerify: CommandRegistrar = (program, io, setExit) => {
  program
    .command('verify')
    .description('prove the account boundaries hold: access graph, boundary, blast-radius, fault-boundary, audit-scope and hygiene findings')
    .argument('<target>', 'spec file (design time) or snapshot directory from `bulkhead collect` (live)')
    .option('--spec <spec>', 'spec whose business units, phases, boundaries and audit scopes apply to a snapshot')
    .addOption(
      new Option('-f, --format <format>', 'output format').choices(['terminal', 'json', 'sarif', 'markdown', 'html']).default('terminal'),
    )
    .option('-o, --out <file>', 'write the report to this file instead of stdout')
    .addOption(
      new Option('--fail-on <severity>', 'exit 3 when a finding is at or above this severity').choices([...SEVERITIES, 'none']).default('high'),
    )
    .option('--destroy-threshold <n>', 'accounts a principal may destroy in before blast radius is a finding', '3')
    .option('--default-boundaries', 'apply the default boundaries even when the spec declares its own')
    .option('--top <n>', 'findings listed in the terminal summary', '10')
    .option('--threads <n>', 'threads for the engine queries (`auto`: all cores for large organizations)', 'auto')
    .action(async (target: string, opts: VerifyCliOptions) => {
      const destroyAccountThreshold = positiveInt(opts.destroyThreshold, '--destroy-threshold');
      const top = positiveInt(opts.top, '--top');
      const model = await loadTarget(io, target);
      if (!model) return setExit(ExitCode.InvalidInput);
      let spec: OrganizationModel | undefined;
      if (opts.spec !== undefined) {
        if (model.source === 'plan') {
          throw new UsageError(`--spec applies to a snapshot directory; \`${target}\` is a spec already, so verify it alone`);
        }
        spec = await loadSpecModel(io, opts.spec);
        if (!spec) return setExit(ExitCode.InvalidInput);
      }
      const evaluatorOptions = {
        ...(model.organization.regions[0] ? { defaultRegion: model.organization.regions[0] } : {}),
        ...(model.organization.id ? { organizationId: model.organization.id } : {}),
      };
      const common = {
        target,
        ...(spec ? { spec } : {}),
        destroyAccountThreshold,
        ...(opts.defaultBoundaries ? { defaultBoundaries: true } : {}),
      };
      // threads pay off only for large organizations; small ones stay on one thread
      const threads =
        opts.threads === 'auto' ? (model.roles.length + model.users.length >= PARALLEL_MIN_PRINCIPALS ? availableParallelism() : 1) : positiveInt(opts.threads, '--threads');
      const report =
        threads > 1
          ? await verifyModelParallel(model, { ...common, threads, evaluatorOptions })
          : verifyModel(model, { ...common, evaluator: createEngineEvaluator(evaluatorOptions) });
      for (const w of report.summary.warnings.slice(0, 20)) io.stderr(`warning ${w}\n`);
      if (report.summary.warnings.length > 20) io.stderr(`… ${report.summary.warnings.length - 20} more warnings (see the JSON report)\n`);
      const now = io.now();
      const text =
        opts.format === 'json'
          ? renderJson(report, now)
          : opts.format === 'sarif'
            ? renderSarif(report, {
                // code scanning wants a file: a snapshot's results point at its manifest
                artifactUri: (relative(io.cwd, resolve(io.cwd, target)) || '.') + (model.source === 'snapshot' ? '/manifest.json' : ''),
              })
            : opts.format === 'markdown'
              ? renderMarkdown(report, now)
              : opts.format === 'html'
                ? renderHtml(report, now)
                : renderTerminal(report, { top });
      if (opts.out !== undefined) {
        await writeFileAtomic(resolve(io.cwd, opts.out), text);
        // keep CI logs useful: the terminal summary still goes to stderr when the report goes to a file
        io.stderr(renderTerminal(report, { top }));
      } else {
        io.stdout(text);
      }
      const failing = opts.failOn === 'none' ? [] : report.findings.filter((f) => atOrAbove(f.severity, opts.failOn as FindingSeverity));
      setExit(failing.length > 0 ? ExitCode.Findings : ExitCode.Ok);
    });
};
