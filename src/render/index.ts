import type { Report } from '../engine/types.js';
import type { OutputFormat } from '../options.js';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import type { RenderOptions } from './options.js';
import { renderPrometheus } from './prometheus.js';
import { renderTable } from './table.js';

export type { RenderOptions } from './options.js';

/** Output formats as a map: adding one is one line here. */
export const RENDERERS: Record<OutputFormat, (report: Report, options: RenderOptions) => string> = {
  table: renderTable,
  json: renderJson,
  junit: renderJunit,
  prometheus: renderPrometheus,
  wide: (report, options) => renderTable(report, { ...options, wide: true }),
  markdown: (report) => renderMarkdown(report),
  html: (report) => renderHtml(report),
};

export function render(report: Report, format: OutputFormat, options: RenderOptions): string {
  return RENDERERS[format](report, options);
}
