/** One entry point for every verify report format, so the CLI and library users choose a format the same way. */
import type { VerifyReport } from '../verify/verify.js';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import { renderMarkdown } from './markdown.js';
import { renderSarif } from './sarif.js';
import { renderTerminal } from './terminal.js';

/** The verify report formats. */
export const REPORT_FORMATS = ['terminal', 'json', 'sarif', 'markdown', 'html'] as const;

/** A verify report format. */
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** What the renderers need besides the report. */
export interface RenderOptions {
  /** Time written into JSON, Markdown and HTML reports. */
  readonly now: Date;
  /** SARIF: the file results point at (code scanning wants one). */
  readonly artifactUri?: string;
  /** Terminal: findings listed in the summary. */
  readonly top?: number;
}

/** Renders a report in one format. */
export function renderReport(report: VerifyReport, format: ReportFormat, options: RenderOptions): string {
  switch (format) {
    case 'json':
      return renderJson(report, options.now);
    case 'sarif':
      return renderSarif(report, { artifactUri: options.artifactUri ?? '.' });
    case 'markdown':
      return renderMarkdown(report, options.now);
    case 'html':
      return renderHtml(report, options.now);
    case 'terminal':
      return renderTerminal(report, options.top === undefined ? {} : { top: options.top });
  }
}
