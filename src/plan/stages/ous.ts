/**
 * The OU tree as the stages build it: every planned path brings its ancestors, the recommended OUs
 * (`RECOMMENDED_OU`) hold the shared accounts, and runtime accounts go under Workloads by phase or business unit.
 */
import { RECOMMENDED_OU, ROOT_PATH, type Tags } from '../../model/organization.js';
import { ouChain } from '../../model/query.js';
import type { SHARED_CATALOGUE } from '../../spec/schema.js';
import { phaseOf, type PlanContext } from './context.js';

/** Which OU each shared catalogue account goes to. */
export const SHARED_OU: Readonly<Record<(typeof SHARED_CATALOGUE)[number], string>> = {
  security: RECOMMENDED_OU.security,
  'log-archive': RECOMMENDED_OU.security,
  'shared-services': RECOMMENDED_OU.infrastructure,
  network: RECOMMENDED_OU.infrastructure,
  identity: RECOMMENDED_OU.infrastructure,
  backup: RECOMMENDED_OU.infrastructure,
  delivery: RECOMMENDED_OU.deployments,
};

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Normalizes a user OU path (`Infrastructure/Data` or `Root/Infrastructure/Data`) to `Root/...`. */
export function normalizeOuPath(p: string): string {
  const trimmed = p.replace(/^\/+|\/+$/g, '');
  if (trimmed === ROOT_PATH || trimmed.toLowerCase() === 'root') return ROOT_PATH;
  return trimmed.startsWith(`${ROOT_PATH}/`) ? trimmed : `${ROOT_PATH}/${trimmed}`;
}

/** Plans an OU and its ancestors; `tags` are merged into the OU's own. */
export function addOu(ctx: PlanContext, path: string, tags: Tags = {}): void {
  for (const p of ouChain(path)) if (!ctx.ous.has(p)) ctx.ous.set(p, {});
  ctx.ous.set(path, { ...ctx.ous.get(path), ...tags });
}

/** A phase's OU in the phase-first layout. */
export function phaseOu(ctx: PlanContext, phase: string): string {
  const p = phaseOf(ctx, phase);
  return `${RECOMMENDED_OU.workloads}/${p?.ouName ?? capitalize(phase)}`;
}

/** A business unit's OU in the bu-first layout. */
export function buOu(ctx: PlanContext, bu: string): string {
  const b = ctx.spec.businessUnits.find((x) => x.name === bu);
  return `${RECOMMENDED_OU.workloads}/${b?.ouName ?? capitalize(bu)}`;
}

/** Where a runtime (or DR) account of a business unit and phase goes in the spec's layout. */
export function runtimeOu(ctx: PlanContext, bu: string, phase: string): string {
  return ctx.layout === 'phase-first' ? phaseOu(ctx, phase) : buOu(ctx, bu);
}
