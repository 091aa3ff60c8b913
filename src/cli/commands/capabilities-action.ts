/**
 * `bulkhead capabilities ACTION…` shows the access level and access capabilities of actions (patterns such
 * as `s3:Get*` allowed); `--capability CAP [--service S]` lists the actions with a capability; `--policy`
 * prints the compact action list generated policies use. Thin adapter over src/catalog. Loaded when the
 * command runs (with it, the catalogue).
 */
import { error, type Diagnostic } from '../../diagnostics/diagnostic.js';
import {
  actionsWithCapability,
  type ActionCapabilities,
  type Capability,
  checkPolicyScope,
  DEFAULT_POLICY_SERVICES,
  didYouMeanAction,
  expandActionPattern,
  explainCapabilities,
  isPattern,
  lookupAction,
  policyActionsFor,
  serviceActions,
  serviceExists,
} from '../../catalog/index.js';
import { printDiagnostics } from '../diagnostics-output.js';
import { escapedLine, ExitCode, jsonLine, UsageError, type CliIo } from '../io.js';
import { escapeText } from '../../util/escape.js';
import type { SetExit } from './registrar.js';

/** Parsed `capabilities` options. */
export interface CapabilitiesCliOptions {
  format: 'table' | 'json';
  capability: string[];
  service: string[];
  explain?: boolean;
  policy?: boolean;
  compact?: boolean;
}

/** Resolves the ACTION arguments to catalogue actions, with diagnostics for the ones that match nothing. */
export function resolveActions(args: readonly string[]): { actions: string[]; diagnostics: Diagnostic[] } {
  const found = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  args.forEach((arg, i) => {
    const text = arg.trim();
    const path = `actions[${i}]`;
    if (!text.includes(':') && text !== '*') {
      diagnostics.push(
        error('BH4003', `\`${text}\` is not an action; write \`service:Action\`, e.g. \`s3:GetObject\`${didYouMeanAction(text)}`, path),
      );
      return;
    }
    const matches = expandActionPattern(text);
    if (matches.length > 0) {
      matches.forEach((m) => found.add(m));
      return;
    }
    const service = text.slice(0, text.indexOf(':'));
    if (isPattern(text)) {
      diagnostics.push(error('BH4004', `pattern \`${text}\` matches no action in the catalogue; check the service prefix and spelling`, path));
    } else if (!isPattern(service) && !serviceExists(service)) {
      diagnostics.push(
        error('BH4003', `unknown action \`${text}\`: no AWS service has the prefix \`${service}\`${didYouMeanAction(text)}`, path),
      );
    } else {
      diagnostics.push(
        error('BH4003', `unknown action \`${text}\`${didYouMeanAction(text)}; list the service's actions with \`bulkhead capabilities '${service}:*'\``, path),
      );
    }
  });
  return { actions: [...found].sort(), diagnostics };
}

/** Renders rows as an aligned plain-text table, every cell through `escapeText` (one row is one line). */
function table(header: readonly string[], cells: readonly (readonly string[])[]): string {
  const rows = cells.map((r) => r.map(escapeText));
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}

function sourceText(e: ActionCapabilities): string {
  return e.source.kind === 'default'
    ? `default for access level ${e.source.accessLevel}`
    : `rule ${e.source.pattern}: ${e.source.why}`;
}

/** Runs `capabilities`: one row per matching action, a list of actions, or with --policy compact patterns. */
export function runCapabilities(io: CliIo, setExit: SetExit, args: string[], opts: CapabilitiesCliOptions): void {
  if (args.length === 0 && opts.capability.length === 0 && opts.service.length === 0) {
    throw new UsageError(
      'give one or more actions (e.g. `bulkhead capabilities s3:GetObject`), `--capability CAP` or `--service PREFIX` (run `bulkhead capabilities --help`)',
    );
  }
  if (opts.policy && (args.length > 0 || opts.capability.length === 0)) {
    throw new UsageError('`--policy` takes `--capability` (and optionally `--service`), not actions');
  }
  if (opts.compact && !opts.policy) throw new UsageError('`--compact` only applies to `--policy`');
  const scope = checkPolicyScope(opts.capability, opts.service, { capabilities: '--capability', services: '--service' });
  if (scope.length > 0) {
    printDiagnostics(io, scope);
    return setExit(ExitCode.InvalidInput);
  }
  const caps = opts.capability as Capability[];

  if (opts.policy) {
    const services = opts.service.length > 0 ? opts.service : DEFAULT_POLICY_SERVICES;
    const patterns = policyActionsFor(caps, services, { compact: opts.compact === true });
    if (opts.format === 'json') {
      // `chars` is what the list adds to a policy document, for callers sizing policies
      const chars = JSON.stringify(patterns).length;
      io.stdout(jsonLine({ capabilities: caps, services: [...services], patterns, chars }));
    } else {
      io.stdout(patterns.map(escapedLine).join(''));
    }
    return setExit(ExitCode.Ok);
  }

  let actions: string[];
  let diagnostics: Diagnostic[] = [];
  if (args.length > 0) {
    ({ actions, diagnostics } = resolveActions(args));
  } else if (caps.length === 0) {
    // `--service` alone: every action of those services
    actions = [...new Set(opts.service.flatMap((s) => serviceActions(s)))].sort();
  } else {
    const set = new Set<string>();
    for (const c of caps) {
      if (opts.service.length === 0) actionsWithCapability(c).forEach((a) => set.add(a));
      else for (const s of opts.service) actionsWithCapability(c, s).forEach((a) => set.add(a));
    }
    actions = [...set].sort();
  }
  // Filters also apply to explicitly listed actions.
  const services = new Set(opts.service.map((s) => s.toLowerCase()));
  const rows = actions
    .map((a) => explainCapabilities(a)!)
    .filter((e) => caps.length === 0 || e.capabilities.some((c) => caps.includes(c)))
    .filter((e) => services.size === 0 || services.has(lookupAction(e.action)!.service.toLowerCase()));

  if (opts.format === 'json') {
    const out = rows.map((e) => {
      const info = lookupAction(e.action)!;
      return {
        action: e.action,
        service: info.service,
        name: info.name,
        accessLevel: e.accessLevel,
        capabilities: e.capabilities,
        source: e.source,
      };
    });
    io.stdout(jsonLine({ actions: out }));
  } else if (rows.length > 0) {
    const header = ['ACTION', 'ACCESS LEVEL', 'CAPABILITIES', ...(opts.explain ? ['SOURCE'] : [])];
    io.stdout(
      table(
        header,
        rows.map((e) => [e.action, e.accessLevel, e.capabilities.join(', '), ...(opts.explain ? [sourceText(e)] : [])]),
      ),
    );
  }
  if (diagnostics.length > 0) {
    printDiagnostics(io, diagnostics);
    return setExit(ExitCode.InvalidInput);
  }
  if (rows.length === 0) io.stderr('no actions match\n');
  setExit(ExitCode.Ok);
}
