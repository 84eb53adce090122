import type { Report } from '../engine/types.js';

/** The report as CONTRACT.md's schemaVersion 1 JSON. */
export function renderJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
