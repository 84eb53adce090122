// The terminal report: the verdict where the eye lands (right after the header, and again as
// the report's last lines: status, most likely cause, first step), kubectl-style tables per
// component that fit the terminal, then each problem in triage order with what it explains,
// its symptom, cause and fix.
import { Chalk, type ChalkInstance } from 'chalk';
import { entryFor } from '../catalogue/index.js';
import type { Report, Status } from '../engine/types.js';
import { safeText } from '../util/terminal-text.js';
import { clusterLine } from './cluster-line.js';
import { MAX_WIDTH, MIN_WIDTH, renderColumns, wrapCommand, wrapIndented, wrapText } from './layout.js';
import type { RenderOptions } from './options.js';
import { fixSteps, LABEL, ROWS_PER_PROBLEM, viewOf, type ComponentTable, type Problem, type Verdict } from './view.js';

const STATUS_OF_LABEL = new Map<string, Status>(Object.entries(LABEL).map(([status, label]) => [label, status as Status]));

function paintStatus(c: ChalkInstance, status: Status, text = LABEL[status]): string {
  switch (status) {
    case 'ok':
      return c.green(text);
    case 'warn':
      return c.yellow(text);
    case 'crit':
      return c.red.bold(text);
    case 'error':
      return c.magenta(text);
    default:
      return c.dim(text);
  }
}

function header(report: Report, c: ChalkInstance, width: number): string[] {
  const parts = [`k8sdoc ${report.tool.version}`];
  if (report.target.context) parts.push(`context ${safeText(report.target.context)}`);
  if (report.target.server) parts.push(safeText(report.target.server));
  parts.push(`${report.durationMs} ms`);
  // The version is the first thing to give up when the line would wrap.
  const line = parts.join(' · ').length > width ? parts.slice(1).join(' · ') : parts.join(' · ');
  return wrapText(line, width).map((l) => c.bold(l));
}

/** The verdict: status, the most likely cause and its first step; with nothing wrong, the counts. */
function verdictLines(v: Verdict, c: ChalkInstance, width: number, withStep: boolean): string[] {
  const label = LABEL[v.status];
  if (v.cause === null && v.interrupted) {
    const text = `no problem found before the run was stopped (partial report): ${v.counts}`;
    return wrapIndented(text, width, 'INTERRUPTED  ').map((l, i) => (i === 0 ? l.replace('INTERRUPTED', c.bold.red('INTERRUPTED')) : l));
  }
  if (v.cause === null) {
    const text = v.counts.includes('error') ? `no problem found, but some checks failed to run: ${v.counts}` : `no problem found: ${v.counts}`;
    return wrapIndented(text, width, `${label}  `).map((l, i) => (i === 0 ? l.replace(label, paintStatus(c, v.status)) : l));
  }
  const lines = wrapIndented(`most likely cause: ${v.cause}`, width, `${label}  `, '  ').map((l, i) =>
    i === 0 ? l.replace(label, paintStatus(c, v.status)) : l,
  );
  if (withStep && v.firstStep)
    lines.push(
      ...(v.firstStep.command
        ? wrapCommand(v.firstStep.text, width, '  First step: ', '    ')
        : wrapIndented(v.firstStep.text, width, '  First step: ', '    ')
      ).map((l) => l.replace(/^( {2}First step:)/, c.bold('$1'))),
    );
  return lines;
}

function tableLines(table: ComponentTable, c: ChalkInstance, width: number, wide: boolean): string[] {
  const rows = table.folded ? (wide ? table.folded.all : [...table.rows, ...table.folded.summary]) : table.rows;
  const statusColumn = table.columns.findIndex((col) => col.header === 'STATUS');
  return renderColumns(
    table.columns,
    rows.map((r) => r.cells),
    {
      width,
      wide,
      paint: (col, text, row) => {
        if (row === -1) return c.bold(text);
        if (col !== statusColumn) return text;
        const status = STATUS_OF_LABEL.get(text.replace(/\*$/, ''));
        return status ? paintStatus(c, status, text) : text;
      },
    },
  );
}

const EXPLAINED_SHOWN = 5;

function problemLines(problems: Problem[], c: ChalkInstance, width: number): string[] {
  if (problems.length === 0) return [];
  const lines = [c.bold('PROBLEMS')];
  const printed = new Set<string>();
  const shown = new Map<string, number>();
  const total = new Map<string, Problem[]>();
  for (const p of problems) total.set(p.result.code!, [...(total.get(p.result.code!) ?? []), p]);
  for (const p of problems) {
    const r = p.result;
    const code = r.code!;
    const n = (shown.get(code) ?? 0) + 1;
    shown.set(code, n);
    if (n > ROWS_PER_PROBLEM) {
      if (n === ROWS_PER_PROBLEM + 1) {
        const rest = total.get(code)!.slice(ROWS_PER_PROBLEM);
        const names = rest
          .slice(0, 20)
          .map((x) => safeText(x.result.subject))
          .join(', ');
        // Its wrapped lines are indented, so that every problem line but a title stays under one.
        lines.push(
          '',
          ...wrapIndented(`… and ${rest.length} more with ${code}: ${names}${rest.length > 20 ? ', …' : ''}`, width, '', '  ').map((l) => c.dim(l)),
        );
      }
      continue;
    }
    lines.push(
      '',
      ...wrapIndented(`${code}  ${safeText(r.subject)}`, width, `${LABEL[r.status]} `, '    ', false).map((l, i) =>
        i === 0 ? l.replace(`${LABEL[r.status]} ${code}`, `${paintStatus(c, r.status)} ${c.bold(code)}`) : l,
      ),
    );
    lines.push(...wrapIndented(safeText(r.message), width, '  ', '  ', false));
    if (p.same.length > 0) lines.push(...wrapIndented([...new Set(p.same.map((s) => safeText(s.subject)))].join(', '), width, '  Same on: ', '    '));
    // Another check that saw this very fault: said once, in its words, not as another problem.
    for (const a of p.also) lines.push(...wrapIndented(`Also seen by ${a.check}: ${safeText(a.message)}`, width, '  ', '    '));
    if (p.explained.length > 0) {
      lines.push(`  ${c.bold('Explains:')}`);
      for (const e of p.explained.slice(0, EXPLAINED_SHOWN)) {
        lines.push(
          ...wrapIndented(`${e.code}  ${safeText(e.subject)}`, width, `    ${LABEL[e.status]} `, '      ').map((l, i) =>
            i === 0 ? l.replace(LABEL[e.status], paintStatus(c, e.status)) : l,
          ),
        );
      }
      if (p.explained.length > EXPLAINED_SHOWN) lines.push(c.dim(`    … and ${p.explained.length - EXPLAINED_SHOWN} more (-o json lists every one)`));
    }
    if (printed.has(`${code}|${r.variant ?? ''}`)) {
      lines.push(c.dim(`  (symptom, cause and fix as above for ${code})`));
      continue;
    }
    printed.add(`${code}|${r.variant ?? ''}`);
    const entry = entryFor(code);
    if (r.symptom) lines.push(...wrapIndented(safeText(r.symptom), width, '  Symptom: ', '    ').map((l) => l.replace('Symptom:', c.bold('Symptom:'))));
    lines.push(`  ${c.bold('Cause:')}`, ...(r.causes ?? entry.causes).flatMap((cause, i) => wrapIndented(cause, width, `    ${i + 1}. `, '       ')));
    lines.push(
      `  ${c.bold('Fix:')}`,
      ...fixSteps(r).flatMap((f) =>
        f.command ? wrapCommand(f.text, width, `    ${c.cyan('$')} `, '      ') : wrapIndented(f.text, width, '    - ', '      '),
      ),
    );
    // A link is never cut: on its own line when it does not fit after the label.
    if (entry.docs) lines.push(...(entry.docs.length + 8 <= width ? [`  ${c.bold('Docs:')} ${entry.docs}`] : [`  ${c.bold('Docs:')}`, `    ${entry.docs}`]));
  }
  return lines;
}

function summaryLine(report: Report, c: ChalkInstance, width: number): string[] {
  const s = report.summary;
  const ignored = s.ignored ? `, ${s.ignored} ignored by config (*)` : '';
  // Echoes are counted once, under their cause: "1 problem explains 9 findings".
  const problems =
    s.problems !== undefined && s.explained !== undefined
      ? `; ${s.problems} problem${s.problems === 1 ? '' : 's'} explain${s.problems === 1 ? 's' : ''} ${s.explained} finding${s.explained === 1 ? '' : 's'}`
      : s.problems !== undefined
        ? `; ${s.problems} problem${s.problems === 1 ? '' : 's'}`
        : '';
  const counts = `${s.ok} ok, ${s.warn} warn, ${s.crit} crit, ${s.skip} skipped, ${s.error} errors${ignored}${problems}`;
  // A stopped run proved nothing healthy: its verdict is never OK.
  const verdict = report.interrupted ? 'INTERRUPTED (partial report: checks still running were stopped)' : LABEL[report.status];
  return wrapText(`Summary: ${counts} → ${verdict}`, width).map((l) =>
    l
      .replace('Summary:', c.bold('Summary:'))
      .replace(/→ INTERRUPTED/, `→ ${c.bold.red('INTERRUPTED')}`)
      .replace(new RegExp(`→ ${LABEL[report.status]}$`), `→ ${paintStatus(c, report.status)}`),
  );
}

export type TableOptions = Pick<RenderOptions, 'color' | 'width'> & Partial<Pick<RenderOptions, 'wide' | 'problemsOnly'>>;

export function renderTable(report: Report, options: TableOptions): string {
  const c = new Chalk({ level: options.color ? 1 : 0 });
  const width = Math.max(MIN_WIDTH, Math.min(options.width, MAX_WIDTH));
  const wide = options.wide === true;
  const view = viewOf(report);
  const lines: string[] = [];
  if (!options.problemsOnly) {
    lines.push(...header(report, c, width));
    for (const note of view.notes) lines.push(...wrapText(note, width).map((l) => c.dim(l)));
  }
  lines.push(...verdictLines(view.verdict, c, width, true));
  // The shape goes under the verdict, which keeps its place as the first line after the header;
  // a blank line between them keeps the verdict a block of its own, as the report repeats it last.
  const shape = options.problemsOnly ? null : clusterLine(report);
  if (shape) lines.push('', ...wrapIndented(shape, width, '', '  ').map((l) => l.replace(/^Cluster:/, c.bold('Cluster:'))));
  if (!options.problemsOnly) for (const table of view.tables) lines.push('', ...tableLines(table, c, width, wide));
  const problems = problemLines(view.problems, c, width);
  if (problems.length > 0) lines.push('', ...problems);
  if (!options.problemsOnly && report.timedOut.length > 0)
    lines.push('', ...wrapText(`Timed out: ${report.timedOut.map(safeText).join(', ')}`, width).map((l) => c.dim(l)));
  lines.push('');
  if (!options.problemsOnly) lines.push(...summaryLine(report, c, width));
  // The verdict again where a scrolled terminal ends: the cause by name and its first step.
  if (view.verdict.cause !== null || options.problemsOnly) lines.push(...verdictLines(view.verdict, c, width, true));
  return `${lines.join('\n')}\n`;
}
