import type { Report } from '../engine/types.js';

// JSON.stringify escapes C0 controls but leaves DEL and the C1 controls (U+0080–U+009F) raw.
// A C1 character such as U+009B (CSI) starts an escape sequence on many terminals, so a hostile
// node name or server message would act on the screen of whoever runs `jq` or `cat` on the
// report. Outside strings the JSON text is plain ASCII, so replacing them anywhere is safe.
const RAW_CONTROLS = /[\u007f-\u009f]/;
const RAW_CONTROLS_ALL = new RegExp(RAW_CONTROLS.source, 'g');

function escapeControl(ch: string): string {
  return `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * Above this many results the report is written without indentation: a CronJob on a cluster
 * with thousands of dead kubelets holds one report string of tens of megabytes, and the
 * indentation alone is a third of it. Machines read it either way; humans read small ones.
 */
export const COMPACT_ABOVE_RESULTS = 2000;

/** The report as schemaVersion 1 JSON (docs/report.schema.json), with every control character escaped. */
export function renderJson(report: Report): string {
  const text = JSON.stringify(report, null, report.results.length > COMPACT_ABOVE_RESULTS ? undefined : 2);
  // Tested first so that the common report, with nothing to escape, is not copied a second time.
  return `${RAW_CONTROLS.test(text) ? text.replace(RAW_CONTROLS_ALL, escapeControl) : text}\n`;
}
