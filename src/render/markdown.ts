// `-o markdown`: the incident report to paste into a ticket or a chat. The verdict as the
// title, the root-cause chain, the fix steps as code blocks, then the component tables.
// Strings from the cluster are escaped so that they cannot add links, images or markup.
import { entryFor } from '../catalogue/index.js';
import type { Report } from '../engine/types.js';
import { safeText } from '../util/terminal-text.js';
import { clusterLine } from './cluster-line.js';
import { fixSteps, LABEL, viewOf, type ComponentTable, type Problem } from './view.js';

/** Markdown's punctuation escaped, so that a node named `[x](http://…)` stays text. */
export function mdText(text: string): string {
  return text.replace(/[\\`*_{}[\]<>()#+!|~&]/g, (ch) => (ch === '&' ? '&amp;' : ch === '<' ? '&lt;' : ch === '>' ? '&gt;' : `\\${ch}`));
}

/** A fence longer than any run of backticks in the block, so that the content cannot close it. */
function fenced(lines: string[], info = 'sh'): string[] {
  const longest = Math.max(2, ...lines.map((l) => Math.max(0, ...(l.match(/`+/g) ?? []).map((m) => m.length))));
  const fence = '`'.repeat(longest + 1);
  return [`${fence}${info}`, ...lines, fence];
}

function tableMd(table: ComponentTable): string[] {
  const rows = table.folded ? table.folded.all : table.rows;
  const columns = table.columns
    .map((c, i) => ({ c, i }))
    .filter(({ i }) => rows.some((r) => (r.cells[i] ?? '') !== '' && r.cells[i] !== '-') || !table.columns[i]!.wideOnly);
  return [
    `### ${table.title}`,
    '',
    `| ${columns.map(({ c }) => c.header).join(' | ')} |`,
    `| ${columns.map(({ c }) => (c.right ? '---:' : '---')).join(' | ')} |`,
    ...rows.map((r) => `| ${columns.map(({ i }) => mdText(r.cells[i] ?? '') || ' ').join(' | ')} |`),
    '',
  ];
}

function chainMd(problems: Problem[]): string[] {
  const lines: string[] = [];
  problems.forEach((p, n) => {
    const r = p.result;
    const same = p.same.length > 0 ? ` (also on ${p.same.map((s) => mdText(safeText(s.subject))).join(', ')})` : '';
    lines.push(`${n + 1}. **${LABEL[r.status]} ${r.code}** on ${mdText(safeText(r.subject))}${same}: ${mdText(safeText(r.message))}`);
    for (const e of p.explained) lines.push(`   - explains ${LABEL[e.status]} ${e.code} on ${mdText(safeText(e.subject))}`);
  });
  return lines;
}

function problemMd(p: Problem, printed: Set<string>): string[] {
  const r = p.result;
  const code = r.code!;
  const lines = [`### ${LABEL[r.status]} ${code}: ${mdText(safeText(r.subject))}`, '', mdText(safeText(r.message)), ''];
  if (printed.has(`${code}|${r.variant ?? ''}`)) return [...lines, `Symptom, cause and fix as above for ${code}.`, ''];
  printed.add(`${code}|${r.variant ?? ''}`);
  const entry = entryFor(code);
  if (r.symptom) lines.push(`**Symptom:** ${mdText(r.symptom)}`, '');
  lines.push('**Cause:**', '', ...(r.causes ?? entry.causes).map((c, i) => `${i + 1}. ${mdText(c)}`), '', '**Fix:**', '');
  // Consecutive commands share one block: they are pasted together.
  let commands: string[] = [];
  const flush = () => {
    if (commands.length > 0) lines.push(...fenced(commands), '');
    commands = [];
  };
  for (const step of fixSteps(r)) {
    if (step.command) commands.push(step.text);
    else {
      flush();
      lines.push(`- ${mdText(step.text)}`, '');
    }
  }
  flush();
  if (entry.docs) lines.push(`Docs: <${entry.docs}>`, '');
  return lines;
}

export function renderMarkdown(report: Report): string {
  const view = viewOf(report);
  const v = view.verdict;
  const title = v.cause === null ? `${LABEL[v.status]}: no problem found` : `${LABEL[v.status]}: ${mdText(v.cause)}`;
  const target = [
    report.target.context ? `context ${mdText(safeText(report.target.context))}` : null,
    report.target.server ? `server ${mdText(safeText(report.target.server))}` : null,
    report.startedAt,
    `${report.durationMs} ms`,
    `k8sdoc ${report.tool.version}`,
  ].filter(Boolean);
  const lines = [`## k8sdoc ${title}`, '', target.join(' · '), ''];
  const shape = clusterLine(report);
  if (shape) lines.push(mdText(shape), '');
  for (const note of view.notes) lines.push(`> ${mdText(note)}`, '');
  if (v.firstStep) lines.push('**First step:**', '', ...(v.firstStep.command ? fenced([v.firstStep.text]) : [mdText(v.firstStep.text)]), '');
  const s = report.summary;
  lines.push(
    `**Summary:** ${s.ok} ok, ${s.warn} warn, ${s.crit} crit, ${s.skip} skipped, ${s.error} errors${s.ignored ? `, ${s.ignored} ignored by config` : ''} → ${LABEL[report.status]}`,
    '',
  );
  if (view.problems.length > 0) {
    lines.push('### Root-cause chain', '', ...chainMd(view.problems), '');
    const printed = new Set<string>();
    for (const p of view.problems) lines.push(...problemMd(p, printed));
  }
  for (const table of view.tables) lines.push(...tableMd(table));
  if (report.timedOut.length > 0) lines.push(`Timed out: ${report.timedOut.map((t) => mdText(safeText(t))).join(', ')}`, '');
  return `${lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}
