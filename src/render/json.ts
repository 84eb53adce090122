import type { Report } from '../engine/types.js';

// JSON.stringify escapes C0 controls but leaves DEL and the C1 controls (U+0080–U+009F) raw.
// A C1 character such as U+009B (CSI) starts an escape sequence on many terminals, so a hostile
// node name or server message would act on the screen of whoever runs `jq` or `cat` on the
// report. Outside strings the JSON text is plain ASCII, so replacing them anywhere is safe.
const RAW_CONTROLS = /[\u007f-\u009f]/g;

function escapeControl(ch: string): string {
  return `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** The report as schemaVersion 1 JSON (docs/report.schema.json), with every control character escaped. */
export function renderJson(report: Report): string {
  return `${JSON.stringify(report, null, 2).replace(RAW_CONTROLS, escapeControl)}\n`;
}
