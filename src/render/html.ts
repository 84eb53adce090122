// `-o html`: the incident report as one self-contained file. Inline CSS and inline SVG only:
// no script, no font, no image from anywhere, and a Content-Security-Policy that forbids
// loading anything, so that opening it off a ticket is safe and it renders the same offline.
// Printed, it keeps the verdict, the map and the fix steps on the page.
import { entryFor } from '../catalogue/index.js';
import type { Report, Status } from '../engine/types.js';
import { safeText } from '../util/terminal-text.js';
import { controlPlaneMap, escapeHtml, STATUS_COLOUR } from './html-map.js';
import { fixSteps, LABEL, viewOf, type ComponentTable, type Problem } from './view.js';

const esc = (text: string) => escapeHtml(safeText(text));

const STYLE = `
:root { color-scheme: light; }
body { font: 14px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 1000px; padding: 16px 24px; color: #1b1b1b; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 2px; }
h3 { font-size: 15px; margin: 18px 0 6px; }
.meta { color: #555; margin: 0 0 10px; }
.verdict { border-left: 8px solid; padding: 8px 12px; background: #f7f7f7; }
.status { font-weight: bold; padding: 0 5px; border-radius: 3px; color: #fff; }
${(Object.keys(STATUS_COLOUR) as Status[]).map((s) => `.status.${s}, .verdict.${s} { border-color: ${STATUS_COLOUR[s]}; } .status.${s} { background: ${STATUS_COLOUR[s]}; }`).join('\n')}
pre { background: #f3f3f3; padding: 8px 10px; overflow-x: auto; white-space: pre-wrap; word-break: break-all; }
code { font: 13px ui-monospace, monospace; }
table { border-collapse: collapse; width: 100%; margin-bottom: 8px; font-size: 13px; }
th, td { text-align: left; padding: 3px 8px; border-bottom: 1px solid #e3e3e3; vertical-align: top; overflow-wrap: anywhere; }
th { font-size: 11px; letter-spacing: 0.04em; color: #444; }
td.right { text-align: right; }
ol.chain li { margin-bottom: 6px; }
ul.explains { margin: 2px 0; color: #444; }
.map svg text { fill: #1b1b1b; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  a { color: inherit; text-decoration: none; }
  a[href]::after { content: " (" attr(href) ")"; font-size: 8pt; }
  h2, h3 { break-after: avoid; }
  section.problem, .map, table, pre { break-inside: avoid; }
  .status { border: 1px solid #000; }
}
`;

function statusBadge(status: Status, text = LABEL[status]): string {
  return `<span class="status ${status}">${escapeHtml(text)}</span>`;
}

function tableHtml(t: ComponentTable): string {
  const rows = t.folded ? t.folded.all : t.rows;
  const cols = t.columns.map((c, i) => ({ c, i })).filter(({ c, i }) => !c.wideOnly || rows.some((r) => (r.cells[i] ?? '') !== '' && r.cells[i] !== '-'));
  const statusCol = t.columns.findIndex((c) => c.header === 'STATUS');
  const head = cols.map(({ c }) => `<th>${escapeHtml(c.header)}</th>`).join('');
  const body = rows
    .map(
      (r) =>
        `<tr class="${r.status}">${cols
          .map(({ c, i }) =>
            i === statusCol
              ? `<td>${statusBadge(r.status, r.cells[i] ?? '')}</td>`
              : `<td${c.right ? ' class="right"' : ''}>${escapeHtml(r.cells[i] ?? '')}</td>`,
          )
          .join('')}</tr>`,
    )
    .join('\n');
  return `<h3>${escapeHtml(t.title)}</h3>\n<table id="table-${t.id}"><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

function chainHtml(problems: Problem[]): string {
  const items = problems.map((p) => {
    const r = p.result;
    const same = p.same.length > 0 ? ` (also on ${p.same.map((s) => esc(s.subject)).join(', ')})` : '';
    const explained =
      p.explained.length > 0
        ? `<ul class="explains">${p.explained.map((e) => `<li>explains ${statusBadge(e.status)} <code>${escapeHtml(e.code ?? '')}</code> on ${esc(e.subject)}</li>`).join('')}</ul>`
        : '';
    return `<li>${statusBadge(r.status)} <strong><code>${escapeHtml(r.code!)}</code></strong> on ${esc(r.subject)}${same}: ${esc(r.message)}${explained}</li>`;
  });
  return `<ol class="chain">${items.join('\n')}</ol>`;
}

function problemHtml(p: Problem, printed: Set<string>): string {
  const r = p.result;
  const code = r.code!;
  const head = `<h3>${statusBadge(r.status)} <code>${escapeHtml(code)}</code> ${esc(r.subject)}</h3><p>${esc(r.message)}</p>`;
  if (printed.has(`${code}|${r.variant ?? ''}`))
    return `<section class="problem">${head}<p>Symptom, cause and fix as above for <code>${escapeHtml(code)}</code>.</p></section>`;
  printed.add(`${code}|${r.variant ?? ''}`);
  const entry = entryFor(code);
  const steps: string[] = [];
  let commands: string[] = [];
  const flush = () => {
    if (commands.length > 0) steps.push(`<pre><code>${commands.map(escapeHtml).join('\n')}</code></pre>`);
    commands = [];
  };
  for (const step of fixSteps(r)) {
    if (step.command) commands.push(step.text);
    else {
      flush();
      steps.push(`<p class="advice">${escapeHtml(step.text)}</p>`);
    }
  }
  flush();
  return [
    `<section class="problem">${head}`,
    r.symptom ? `<p><strong>Symptom:</strong> ${esc(r.symptom)}</p>` : '',
    `<p><strong>Cause:</strong></p><ol>${(r.causes ?? entry.causes).map((c) => `<li>${escapeHtml(c)}</li>`).join('')}</ol>`,
    `<p><strong>Fix:</strong></p>${steps.join('\n')}`,
    entry.docs ? `<p>Docs: <a href="${escapeHtml(entry.docs)}">${escapeHtml(entry.docs)}</a></p>` : '',
    '</section>',
  ].join('\n');
}

export function renderHtml(report: Report): string {
  const view = viewOf(report);
  const v = view.verdict;
  const headline = v.cause === null ? `no problem found: ${escapeHtml(v.counts)}` : `most likely cause: ${escapeHtml(v.cause)}`;
  const quorum = report.results.find((r) => r.check === 'etcd-quorum' && !r.ignored);
  const q = quorum?.data ?? {};
  const quorumText =
    typeof q['healthy'] === 'number' && typeof q['quorum'] === 'number'
      ? `${q['healthy']} of ${String(q['voters'] ?? q['members'])} healthy, quorum ${q['quorum']}`
      : null;
  const meta = [
    report.target.context ? `context ${esc(report.target.context)}` : null,
    report.target.server ? `server ${esc(report.target.server)}` : null,
    escapeHtml(report.startedAt),
    `${report.durationMs} ms`,
    `k8sdoc ${escapeHtml(report.tool.version)}`,
  ].filter(Boolean);
  const s = report.summary;
  const printed = new Set<string>();
  const verdict = `<div class="verdict ${v.status}" id="verdict"><h1>${statusBadge(v.status)} ${headline}</h1>${
    v.firstStep
      ? `<p><strong>First step:</strong></p>${v.firstStep.command ? `<pre><code>${escapeHtml(v.firstStep.text)}</code></pre>` : `<p>${escapeHtml(v.firstStep.text)}</p>`}`
      : ''
  }</div>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>k8sdoc ${LABEL[v.status]}${v.cause ? `: ${escapeHtml(v.cause)}` : ''}</title>
<style>${STYLE}</style>
</head>
<body>
<p class="meta">${meta.join(' · ')}</p>
${verdict}
${view.notes.map((n) => `<p class="meta">${escapeHtml(n)}</p>`).join('\n')}
<p>${s.ok} ok, ${s.warn} warn, ${s.crit} crit, ${s.skip} skipped, ${s.error} errors${s.ignored ? `, ${s.ignored} ignored by config` : ''}</p>
<h2>Control plane</h2>
<div class="map" id="map">${controlPlaneMap(view, { quorum: quorumText, quorumStatus: quorum?.status ?? 'skip', server: report.target.server ? safeText(report.target.server) : null })}</div>
${view.problems.length > 0 ? `<h2>Root-cause chain</h2>\n${chainHtml(view.problems)}\n<h2>Problems and fix steps</h2>\n${view.problems.map((p) => problemHtml(p, printed)).join('\n')}` : ''}
<h2>Components</h2>
${view.tables.map(tableHtml).join('\n')}
${report.timedOut.length > 0 ? `<p>Timed out: ${report.timedOut.map(esc).join(', ')}</p>` : ''}
<p class="verdict ${v.status}" id="verdict-again">${statusBadge(v.status)} ${headline}</p>
</body>
</html>
`;
}
