/**
 * Phase colors shared by the HTML report's organization grid (html-org.ts); the access graph is drawn by
 * html-graph.ts.
 */
import type { AccountSummary } from '../verify/verify.js';

const NONPROD_COLORS = ['#4e79a7', '#59a14f', '#edc948', '#b07aa1', '#76b7b2', '#9c755f', '#bab0ac'];
const PROD_COLOR = '#e15759';
const NONE_COLOR = '#cccccc';

/** The fill color of each phase: production phases red, others from a fixed palette in phase order. */
export function phaseColors(phases: readonly { name: string; production: boolean }[], accounts: readonly AccountSummary[]): Map<string, string> {
  const names: { name: string; production: boolean }[] = [...phases];
  for (const a of accounts) {
    if (a.phase !== null && !names.some((p) => p.name === a.phase)) names.push({ name: a.phase, production: a.production });
  }
  const m = new Map<string, string>();
  let i = 0;
  for (const p of names) m.set(p.name, p.production ? PROD_COLOR : NONPROD_COLORS[i++ % NONPROD_COLORS.length]!);
  return m;
}
