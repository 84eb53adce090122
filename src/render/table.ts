// The human report: the most likely cause first, a row per result grouped by component,
// then each problem with its symptom, cause and fix.
import { Chalk, type ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import { entryFor } from '../catalogue/index.js';
import { isCommand } from '../catalogue/fix-step.js';
import { formatAge } from '../judge/age.js';
import { COMPONENTS, type Report, type ReportResult, type RootCause, type Status } from '../engine/types.js';
import { isCertificatesOnly, renderCertsTable } from './certs-table.js';
import type { RenderOptions } from './options.js';

const LABEL: Record<Status, string> = { ok: 'OK', warn: 'WARN', crit: 'CRIT', skip: 'SKIP', error: 'ERROR' };

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

const SEVERITY_ORDER: Record<Status, number> = { crit: 0, warn: 1, error: 2, skip: 3, ok: 4 };

function byComponent(a: ReportResult, b: ReportResult): number {
  return (
    COMPONENTS.indexOf(a.component) - COMPONENTS.indexOf(b.component) || a.check.localeCompare(b.check) || SEVERITY_ORDER[a.status] - SEVERITY_ORDER[b.status]
  );
}

function header(report: Report, c: ChalkInstance): string {
  const parts = [`k8sdoc ${report.tool.version}`];
  if (report.target.context) parts.push(`context ${report.target.context}`);
  if (report.target.server) parts.push(report.target.server);
  parts.push(`${report.durationMs} ms`);
  return c.bold(parts.join(' · '));
}

/** At most `max` items, then how many more: 5,000 NotReady nodes must not fill the screen. */
function listed(items: string[], max = 5): string {
  return items.length <= max ? items.join(', ') : `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

function mostLikelyCause(report: Report, c: ChalkInstance): string[] {
  const first = report.rootCauses[0];
  if (!first) return [];
  const result = report.results.find((r) => r.code === first.code && r.subject === first.subject);
  const entry = entryFor(first.code);
  const lines = [
    c.bold('Most likely cause'),
    `  ${paintStatus(c, result?.status ?? entry.severity, `${first.code}`)}  ${first.subject}${result ? `: ${result.message}` : ''}`,
  ];
  // The same fault on several subjects (every master refusing, explaining the same kinds of
  // findings) is one cause, said once; an unrelated finding with the same code is not.
  const kinds = (o: RootCause) => o.explains.join(',');
  const same = report.rootCauses.slice(1).filter((o) => o.code === first.code && kinds(o) === kinds(first));
  if (same.length > 0) lines.push(`  Same on: ${listed(same.map((o) => o.subject))}`);
  lines.push(`  Cause: ${entry.causes[0]}`);
  lines.push(`  First step: ${c.cyan(entry.fix[0] ?? '')}`);
  const explained = [first, ...same].flatMap((o) => o.explainsFindings);
  if (explained.length > 0) lines.push(`  Explains: ${listed([...new Set(explained.map((e) => `${e.code} (${e.subject})`))])}`);
  const others = report.rootCauses.slice(1).filter((o) => !same.includes(o));
  if (others.length > 0)
    lines.push(
      `  Also independent: ${listed(
        others.map((o) => `${o.code} (${o.subject})`),
        3,
      )}`,
    );
  return [...lines, ''];
}

/** Says where the targets came from when the API server could not tell them. */
function cacheNote(report: Report, c: ChalkInstance): string[] {
  const cache = report.discoveryCache;
  if (!cache) return [];
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const taken = [plural(cache.hosts.length, 'host'), plural(cache.apiServers.length, 'API server'), plural(cache.etcd.length, 'etcd endpoint')].join(', ');
  return [
    c.dim(`The API server did not list the nodes: ${taken} from the discovery cache ${cache.path}, written ${formatAge(cache.ageSeconds * 1000)} ago.`),
    '',
  ];
}

function resultsTable(results: ReportResult[], c: ChalkInstance, width: number): string {
  const fixed = 11 + 24 + 8 + 6; // the fixed columns plus borders
  const subjectWidth = Math.max(24, Math.min(48, Math.floor((width - fixed) * 0.4)));
  const messageWidth = Math.max(24, width - fixed - subjectWidth);
  const table = new Table({
    head: ['Component', 'Check', 'Subject', 'Status', 'Message'],
    colWidths: [11, 24, subjectWidth, 8, messageWidth],
    wordWrap: true,
    wrapOnWordBoundary: true,
    style: { head: c.level > 0 ? ['bold'] : [], border: c.level > 0 ? ['grey'] : [] },
  });
  let previous = '';
  for (const r of foldRuns([...results].sort(byComponent))) {
    const component = r.component === previous ? '' : r.component;
    previous = r.component;
    const status = r.ignored ? c.dim(`${LABEL[r.status]}*`) : paintStatus(c, r.status);
    table.push([component, r.check, r.subject, status, r.message]);
  }
  return table.toString();
}

/** Healthy subjects of one check beyond this many fold into one row; JSON keeps every one. */
const OK_ROWS_PER_CHECK = 2;
/** Rows shown for one check's findings with the same code; the rest fold into one row. */
const ROWS_PER_PROBLEM = 10;

/** Rows that fold together: one check's healthy subjects, or one check's findings with one code. */
function runKey(r: ReportResult): string {
  return r.status === 'ok' ? `${r.check}\u0000ok\u0000${r.ignored === true}` : `${r.check}\u0000${r.status}\u0000${r.code ?? ''}\u0000${r.ignored === true}`;
}

/**
 * A healthy 50-node cluster should not print 300 green rows, nor 5,000 unreachable kubelets
 * 5,000 red ones (rendering them took seconds and buried the other findings): a check's ok
 * results fold into one row naming the first subject and how many more, and a problem shows
 * its first ten subjects and one row for the rest. JSON keeps every result.
 */
function foldRuns(sorted: ReportResult[]): ReportResult[] {
  const rows: ReportResult[] = [];
  for (let i = 0; i < sorted.length;) {
    const r = sorted[i]!;
    const key = runKey(r);
    let j = i + 1;
    while (j < sorted.length && runKey(sorted[j]!) === key) j += 1;
    const run = j - i;
    if (r.status === 'ok' && !r.ignored && run > OK_ROWS_PER_CHECK) {
      rows.push({ ...r, subject: `${r.subject} and ${run - 1} more`, message: `all ${run} ok; ${r.message}` });
    } else if (r.status !== 'ok' && run > ROWS_PER_PROBLEM + 1) {
      rows.push(...sorted.slice(i, i + ROWS_PER_PROBLEM));
      rows.push({ ...r, subject: `… and ${run - ROWS_PER_PROBLEM} more`, message: `${r.code ?? r.status} as above (-o json lists every one)` });
    } else {
      rows.push(...sorted.slice(i, j));
    }
    i = j;
  }
  return rows;
}

function problemDetails(results: ReportResult[], c: ChalkInstance): string[] {
  const problems = results
    .filter((r) => (r.status === 'crit' || r.status === 'warn') && !r.ignored)
    .sort((a, b) => SEVERITY_ORDER[a.status] - SEVERITY_ORDER[b.status] || byComponent(a, b));
  if (problems.length === 0) return [];
  const lines = ['', c.bold('Problems')];
  // The same code on many subjects (50 NotReady nodes) prints its catalogue text once.
  const printed = new Set<string>();
  const shown = new Map<string, number>();
  const total = new Map<string, ReportResult[]>();
  for (const r of problems) {
    const list = total.get(r.code!);
    if (list) list.push(r);
    else total.set(r.code!, [r]);
  }
  for (const r of problems) {
    const n = (shown.get(r.code!) ?? 0) + 1;
    shown.set(r.code!, n);
    if (n > ROWS_PER_PROBLEM) {
      if (n === ROWS_PER_PROBLEM + 1) {
        const rest = total.get(r.code!)!.slice(ROWS_PER_PROBLEM);
        const names = rest
          .slice(0, 20)
          .map((x) => x.subject)
          .join(', ');
        lines.push('', c.dim(`… and ${rest.length} more with ${r.code}: ${names}${rest.length > 20 ? ', …' : ''}`));
      }
      continue;
    }
    lines.push('', `${paintStatus(c, r.status)} ${c.bold(r.code ?? '')}  ${r.subject}`, `  ${r.message}`);
    if (printed.has(r.code!)) {
      lines.push(c.dim(`  (symptom, cause and fix as above for ${r.code})`));
      continue;
    }
    printed.add(r.code!);
    if (r.symptom) lines.push(`  ${c.bold('Symptom:')} ${r.symptom}`);
    const entry = entryFor(r.code!);
    lines.push(`  ${c.bold('Cause:')}`, ...entry.causes.map((cause, i) => `    ${i + 1}. ${cause}`));
    lines.push(`  ${c.bold('Fix:')}`, ...entry.fix.map((f) => (isCommand(f) ? `    ${c.cyan('$')} ${f}` : `    - ${f}`)));
    if (entry.docs) lines.push(`  ${c.bold('Docs:')} ${entry.docs}`);
  }
  return lines;
}

function summaryLine(report: Report, c: ChalkInstance): string {
  const s = report.summary;
  const ignored = s.ignored ? `, ${s.ignored} ignored by config (*)` : '';
  const counts = `${s.ok} ok, ${s.warn} warn, ${s.crit} crit, ${s.skip} skipped, ${s.error} errors${ignored}`;
  // A stopped run proved nothing healthy: its verdict is never OK.
  const verdict = report.interrupted ? c.bold.red('INTERRUPTED (partial report: checks still running were stopped)') : paintStatus(c, report.status);
  return `${c.bold('Summary:')} ${counts} → ${verdict}`;
}

export function renderTable(report: Report, options: Pick<RenderOptions, 'color' | 'width'>): string {
  const c = new Chalk({ level: options.color ? 1 : 0 });
  const width = Math.max(80, Math.min(options.width, 200));
  const lines = [header(report, c), ''];
  lines.push(...cacheNote(report, c));
  lines.push(...mostLikelyCause(report, c));
  lines.push(isCertificatesOnly(report.results) ? renderCertsTable(report.results, c, width) : resultsTable(report.results, c, width));
  lines.push(...problemDetails(report.results, c));
  const timedOut = report.results.flatMap((r) => r.timedOut ?? []);
  if (timedOut.length > 0) lines.push('', c.dim(`Timed out: ${[...new Set(timedOut)].join(', ')}`));
  lines.push('', summaryLine(report, c), '');
  return lines.join('\n');
}
