/** `bulkhead plan SPEC`: plans the spec and prints the organization (text or JSON). Loaded when `plan` runs. */
import { colorWanted } from '../../report/color.js';
import { renderPlanText } from '../../report/plan-text.js';
import { escapeJson } from '../../util/escape.js';
import { ExitCode, type CliIo } from '../io.js';
import { loadSpecModel } from '../spec-input.js';
import type { SetExit } from './registrar.js';

/** Parsed `plan` options. */
export interface PlanCliOptions {
  format: 'text' | 'json';
}

/** Runs `plan`: design the organization and explain its size. */
export async function runPlan(io: CliIo, setExit: SetExit, spec: string, opts: PlanCliOptions): Promise<void> {
  const model = await loadSpecModel(io, spec);
  if (!model) return setExit(ExitCode.InvalidInput);
  io.stdout(opts.format === 'json' ? `${escapeJson(JSON.stringify(model, null, 2))}\n` : renderPlanText(model, { color: colorWanted(io.env, io.stdoutIsTty ?? false) }));
  setExit(ExitCode.Ok);
}
