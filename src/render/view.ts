// What the human-readable reports (terminal, Markdown, HTML) show, decided once: the verdict,
// the problems in triage order with what each explains, and one table per component built
// from the checks' structured `data`. Every string that came from the cluster is passed
// through safeText here, so no renderer can forget it; HTML escapes on top.
import { entryFor } from '../catalogue/index.js';
import { isCommand } from '../catalogue/fix-step.js';
import { COMPONENTS, type Report, type ReportResult, type Status } from '../engine/types.js';
import { INTERRUPTED_MESSAGE } from '../engine/runner.js';
import { safeText } from '../util/terminal-text.js';
import { certificateRows } from './certs-table.js';
import type { Column } from './layout.js';

export const LABEL: Record<Status, string> = { ok: 'OK', warn: 'WARN', crit: 'CRIT', skip: 'SKIP', error: 'ERROR' };
const SEVERITY_ORDER: Record<Status, number> = { crit: 0, error: 1, warn: 2, ok: 3, skip: 4 };

/** The worst status among results, where one ok outweighs a skip (a row with figures is not "skipped"). */
export function worstStatus(statuses: readonly Status[]): Status {
  if (statuses.length === 0) return 'skip';
  return [...statuses].sort((a, b) => SEVERITY_ORDER[a] - SEVERITY_ORDER[b])[0]!;
}

export interface FixStep {
  command: boolean;
  text: string;
}

/** Fix steps as the result carries them (strings today, `{kind, text}` objects when filled from the run). */
export function fixSteps(r: ReportResult): FixStep[] {
  // The steps filled with this run's values when the report has them, else the catalogue's.
  const raw: unknown[] = Array.isArray(r.steps) ? r.steps : Array.isArray(r.fix) ? r.fix : r.code ? [...entryFor(r.code).fix] : [];
  return raw.flatMap((step) => {
    if (typeof step === 'string') return [{ command: isCommand(step), text: safeText(step) }];
    if (step && typeof step === 'object' && typeof (step as { text?: unknown }).text === 'string') {
      const s = step as { kind?: unknown; text: string };
      return [{ command: s.kind === undefined ? isCommand(s.text) : s.kind === 'command', text: safeText(s.text) }];
    }
    return [];
  });
}

export interface Problem {
  result: ReportResult;
  /** Root causes with the same code explaining the same kinds of findings: one fault on several subjects (never the problem's own subject). */
  same: ReportResult[];
  /** Findings this cause explains (its echoes), in report order. */
  explained: ReportResult[];
  /** The same code on the same subject from other checks: the problem itself, seen again (a 401 on /version and on /readyz). */
  also: ReportResult[];
  /** Whether triage ranked it as a root cause (false for a leftover problem triage did not place). */
  root: boolean;
}

const isProblem = (r: ReportResult) => (r.status === 'crit' || r.status === 'warn') && !r.ignored && r.code !== undefined;
const isSame = (a: { code?: string; subject: string }, b: { code?: string; subject: string }) => a.code === b.code && a.subject === b.subject;

/**
 * Problems in triage order: each root cause, the same fault elsewhere, and what it explains.
 * Each echo goes under the cause its `explainedBy` names, so no finding is shown twice and
 * none of them stands as a problem of its own.
 */
export function problemsOf(report: Report): Problem[] {
  const problems = report.results.filter(isProblem);
  const roots = problems.filter((r) => r.explainedBy === undefined);
  const rootOf = (key: { code?: string; subject: string }) => roots.find((r) => isSame(r, key));
  const echoes = new Map<ReportResult, ReportResult[]>();
  for (const r of problems) {
    const root = r.explainedBy ? rootOf(r.explainedBy) : undefined;
    if (root) echoes.set(root, [...(echoes.get(root) ?? []), r]);
  }
  const placed = new Set<ReportResult>();
  const out: Problem[] = [];
  // What triage says a cause explains, whether or not another cause took those findings first.
  const kinds = (r: ReportResult) => [...new Set(report.rootCauses.find((rc) => isSame(rc, r))?.explains ?? [])].sort().join(',');
  const ranked = report.rootCauses.map((rc) => rootOf(rc)).filter((r): r is ReportResult => r !== undefined);
  for (const r of [...new Set([...ranked, ...roots])]) {
    if (placed.has(r)) continue;
    placed.add(r);
    // One fault on several subjects: later causes of the same code explaining the same kinds.
    const same = ranked.filter((o) => !placed.has(o) && o.code === r.code && o.subject !== r.subject && kinds(r) !== '' && kinds(o) === kinds(r));
    same.forEach((o) => placed.add(o));
    const all = [r, ...same].flatMap((x) => (echoes.get(x) ?? []).map((e) => ({ e, cause: x })));
    all.forEach(({ e }) => placed.add(e));
    const explained = all.filter(({ e, cause }) => !isSame(e, cause)).map(({ e }) => e);
    explained.sort((a, b) => SEVERITY_ORDER[a.status] - SEVERITY_ORDER[b.status]);
    const also = all.filter(({ e, cause }) => isSame(e, cause) && cause === r).map(({ e }) => e);
    out.push({ result: r, same, explained, also, root: ranked.includes(r) });
  }
  // An echo whose cause is not in the report (a hand-made or older report) is still a problem.
  for (const r of problems) if (!placed.has(r)) out.push({ result: r, same: [], explained: [], also: [], root: false });
  return out;
}

export interface Verdict {
  status: Report['status'];
  /** `etcd-quorum-lost on etcd`, with how many subjects and echoes; null when nothing is wrong. */
  cause: string | null;
  firstStep: FixStep | null;
  /** `85 ok, 1 skipped` and the like, for a verdict with no cause. */
  counts: string;
  /** SIGINT or SIGTERM stopped the run: what is here is partial. */
  interrupted: boolean;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function verdictOf(report: Report, problems: Problem[] = problemsOf(report)): Verdict {
  const s = report.summary;
  const counts = [
    `${s.ok} ok`,
    s.warn ? `${s.warn} warn` : '',
    s.crit ? `${s.crit} crit` : '',
    s.skip ? `${s.skip} skipped` : '',
    s.error ? plural(s.error, 'error') : '',
  ]
    .filter(Boolean)
    .join(', ');
  const first = problems[0];
  const interrupted = report.interrupted === true;
  if (!first) return { status: report.status, cause: null, firstStep: null, counts, interrupted };
  const r = first.result;
  const more = first.same.length > 0 ? ` and ${first.same.length} more` : '';
  const echoes = first.explained.length > 0 ? ` (explains ${plural(first.explained.length, 'finding')})` : '';
  return { status: report.status, cause: `${r.code} on ${safeText(r.subject)}${more}${echoes}`, firstStep: fixSteps(r)[0] ?? null, counts, interrupted };
}

export interface TableRow {
  cells: string[];
  status: Status;
}

export interface ComponentTable {
  id: 'apiservers' | 'etcd-members' | 'nodes' | 'certificates' | 'checks';
  title: string;
  columns: Column[];
  rows: TableRow[];
  /** When the default terminal output folds rows away: every row (for -o wide, Markdown and HTML) and the rows that stand for the folded ones. */
  folded?: { all: TableRow[]; summary: TableRow[] };
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? safeText(v) : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : null);

/** 20480 → `20 KiB`: etcd's sizes as etcdctl prints them, in binary units. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value : value >= 10 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

function rowStatus(results: ReportResult[]): Status {
  const active = results.filter((r) => !r.ignored);
  return worstStatus((active.length > 0 ? active : results).map((r) => r.status));
}

function statusCell(results: ReportResult[]): string {
  const status = rowStatus(results);
  return results.length > 0 && results.every((r) => r.ignored) ? `${LABEL[status]}*` : LABEL[status];
}

function groupBy<K>(results: ReportResult[], key: (r: ReportResult) => K | null): Map<K, ReportResult[]> {
  const groups = new Map<K, ReportResult[]>();
  for (const r of results) {
    const k = key(r);
    if (k === null) continue;
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  return groups;
}

const API_CHECKS = new Set(['apiserver-reachable', 'apiserver-health', 'apiserver-latency']);

/** One row per API server endpoint, from reachable, health and latency. */
function apiServerTable(results: ReportResult[], used: Set<ReportResult>): ComponentTable | null {
  const groups = groupBy(results, (r) => (API_CHECKS.has(r.check) ? str(r.data?.['endpoint']) : null));
  if (groups.size === 0) return null;
  const rows: TableRow[] = [];
  for (const [endpoint, group] of groups) {
    group.forEach((r) => used.add(r));
    const by = (check: string) => group.find((r) => r.check === check);
    const reach = by('apiserver-reachable');
    const health = by('apiserver-health');
    const latency = by('apiserver-latency');
    const data = (r: ReportResult | undefined, k: string) => r?.data?.[k];
    const source = str(data(reach ?? health, 'source'));
    const ready = !health ? '-' : health.status === 'ok' ? 'yes' : health.status === 'skip' ? '-' : 'no';
    const reachable = !reach ? '-' : reach.status === 'ok' ? 'yes' : reach.status === 'skip' ? '-' : reach.code ? reach.code.replace(/^apiserver-/, '') : 'no';
    const p99 = num(data(latency, 'p99Ms'));
    const median = num(data(latency, 'medianMs'));
    rows.push({
      status: rowStatus(group),
      cells: [
        endpoint,
        source === 'kubeconfig' ? 'kubeconfig' : (str(data(reach ?? health, 'node')) ?? '-'),
        reachable,
        str(data(reach, 'gitVersion')) ?? '-',
        ready,
        p99 === null ? '-' : `${p99} ms`,
        median === null ? '-' : `${median} ms`,
        statusCell(group),
      ],
    });
  }
  return {
    id: 'apiservers',
    title: 'API servers',
    columns: [
      { header: 'API SERVER' },
      { header: 'NODE', priority: 3 },
      { header: 'REACHABLE' },
      { header: 'VERSION', priority: 2 },
      { header: 'READY' },
      { header: 'P99', right: true, priority: 1 },
      { header: 'MEDIAN', right: true, wideOnly: true },
      { header: 'STATUS' },
    ],
    rows,
  };
}

/** Per-member figures as etcdctl's `endpoint status -w table` shows them, from the etcd checks' data. */
function etcdMemberTable(results: ReportResult[], used: Set<ReportResult>): ComponentTable | null {
  const members = results.filter((r) => r.check === 'etcd-members' && (str(r.data?.['name']) !== null || r.data?.['indirect'] === true));
  if (members.length === 0) return null;
  const quorum = results.find((r) => r.check === 'etcd-quorum');
  const leader = str(quorum?.data?.['leader']);
  const sizes = new Map<string, { dbSize: number | null; inUse: number | null; rows: ReportResult[] }>();
  for (const r of results.filter((x) => x.check === 'etcd-db-size')) {
    const list = Array.isArray(r.data?.['members']) ? (r.data['members'] as Record<string, unknown>[]) : r.data ? [r.data] : [];
    for (const m of list) {
      const name = str(m['member']);
      if (name === null) continue;
      const entry = sizes.get(name) ?? { dbSize: null, inUse: null, rows: [] };
      entry.dbSize = num(m['dbSize']) ?? entry.dbSize;
      entry.inUse = num(m['dbSizeInUse']) ?? entry.inUse;
      if (r.status !== 'ok' && r.data?.['member'] !== undefined) entry.rows.push(r);
      sizes.set(name, entry);
    }
    // The cluster-wide ok row says nothing the member rows do not.
    if (r.status === 'ok' && Array.isArray(r.data?.['members'])) used.add(r);
  }
  const rows = members.map((r) => {
    used.add(r);
    const d = r.data ?? {};
    const name = str(d['name']) ?? '-';
    const endpoint = (Array.isArray(d['clientURLs']) ? str(d['clientURLs'][0]) : null) ?? str(d['endpoint']) ?? '-';
    const size = sizes.get(name);
    size?.rows.forEach((x) => used.add(x));
    // A member that did not answer is not shown as leader, whatever the survivors last saw.
    const isLeader = leader !== null && leader === name && r.status === 'ok';
    const role = d['indirect'] === true ? '?' : d['isLearner'] === true ? 'learner' : isLeader ? 'leader' : 'voter';
    const term = str(d['raftTerm']);
    const index = str(d['raftIndex']);
    const failure = r.status === 'ok' ? '' : (str(d['failure']) ?? (r.code ? r.code.replace(/^etcd-/, '') : LABEL[r.status]));
    return {
      status: rowStatus([r, ...(size?.rows ?? [])]),
      cells: [
        name,
        endpoint.replace(/^https?:\/\//, ''),
        endpoint,
        role,
        str(d['version']) ?? '-',
        size && size.dbSize !== null ? `${formatBytes(size.dbSize)}/${size.inUse === null ? '?' : formatBytes(size.inUse)}` : '-',
        term !== null && index !== null ? `${term}/${index}` : '-',
        str(d['id']) ?? '-',
        failure,
        statusCell([r, ...(size?.rows ?? [])]),
      ],
    };
  });
  const anyError = rows.some((row) => row.cells[8] !== '');
  return {
    id: 'etcd-members',
    title: 'etcd members',
    columns: [
      { header: 'MEMBER' },
      { header: 'ENDPOINT' },
      { header: 'CLIENT URL', wideOnly: true },
      { header: 'ROLE' },
      { header: 'VERSION', priority: 1 },
      { header: 'DB/IN USE', priority: 3 },
      { header: 'TERM/INDEX', priority: 2 },
      { header: 'ID', wideOnly: true },
      { header: 'ERRORS', wrap: true, min: 8, wideOnly: !anyError },
      { header: 'STATUS' },
    ],
    rows,
  };
}

/**
 * Rows beyond the first ten of one status fold into one row in the default terminal output:
 * 5,000 nodes are one screen, not a hundred. Problems come first.
 */
function foldRows(table: ComponentTable): ComponentTable {
  const kept: TableRow[] = [];
  const folded: TableRow[] = [];
  const summary: TableRow[] = [];
  const sorted = [...table.rows].sort((a, b) => SEVERITY_ORDER[a.status] - SEVERITY_ORDER[b.status]);
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j < sorted.length && sorted[j]!.status === sorted[i]!.status) j += 1;
    const run = sorted.slice(i, j);
    kept.push(...run.slice(0, ROWS_PER_PROBLEM));
    if (run.length > ROWS_PER_PROBLEM + 1) {
      folded.push(...run.slice(ROWS_PER_PROBLEM));
      const status = run[0]!.status;
      const cells = table.columns.map((c) => (c.header === 'STATUS' ? LABEL[status] : ''));
      cells[0] = `… and ${run.length - ROWS_PER_PROBLEM} more`;
      summary.push({ status, cells });
    } else kept.push(...run.slice(ROWS_PER_PROBLEM));
    i = j;
  }
  return folded.length === 0 ? { ...table, rows: sorted } : { ...table, rows: kept, folded: { all: sorted, summary } };
}

const NODE_CHECKS = new Set(['nodes-ready', 'nodes-pressure', 'kubelet', 'ports']);

/** One row per node: Ready, pressure, its kubelet and its ports. */
function nodeTable(results: ReportResult[], used: Set<ReportResult>): ComponentTable | null {
  const groups = groupBy(results, (r) => (NODE_CHECKS.has(r.check) ? str(r.data?.['node']) : null));
  if (groups.size === 0) return null;
  const rows: TableRow[] = [];
  for (const [node, group] of groups) {
    group.forEach((r) => used.add(r));
    const ready = group.find((r) => r.check === 'nodes-ready');
    const pressure = group.find((r) => r.check === 'nodes-pressure');
    const kubelet = group.find((r) => r.check === 'kubelet');
    const ports = group.filter((r) => r.check === 'ports');
    const conditions = Array.isArray(pressure?.data?.['conditions']) ? (pressure.data['conditions'] as unknown[]) : null;
    const conditionText =
      conditions === null
        ? '-'
        : conditions.length === 0
          ? 'none'
          : conditions.map((c) => str(typeof c === 'string' ? c : (c as { type?: unknown })?.type) ?? '?').join(',');
    const closed = ports.filter((p) => p.status !== 'ok' && p.status !== 'skip');
    const portText =
      ports.length === 0
        ? '-'
        : closed.length === 0
          ? `${ports.length} open`
          : closed.map((p) => `${num(p.data?.['port']) ?? '?'} ${str(p.data?.['outcome']) ?? p.status}`).join(', ');
    const role = ready?.data?.['controlPlane'] === true ? 'control-plane' : ready?.data?.['controlPlane'] === false ? 'worker' : '-';
    rows.push({
      status: rowStatus(group),
      cells: [
        node,
        role,
        str(ready?.data?.['ready']) ?? '-',
        conditionText,
        kubelet ? (str(kubelet.data?.['kubelet']) ?? LABEL[kubelet.status].toLowerCase()) : '-',
        portText,
        str(group.find((r) => str(r.data?.['host']))?.data?.['host']) ?? '-',
        statusCell(group),
      ],
    });
  }
  return {
    id: 'nodes',
    title: 'Nodes',
    columns: [
      { header: 'NODE' },
      { header: 'ROLE', priority: 2 },
      { header: 'READY' },
      { header: 'PRESSURE', wrap: true, priority: 1 },
      { header: 'KUBELET' },
      { header: 'PORTS', wrap: true, min: 8 },
      { header: 'HOST', wideOnly: true },
      { header: 'STATUS' },
    ],
    rows,
  };
}

/** Healthy subjects of one check beyond this many fold into one row; JSON keeps every one. */
const OK_ROWS_PER_CHECK = 2;
/** Rows shown for one check's findings with the same code; the rest fold into one row. */
export const ROWS_PER_PROBLEM = 10;

function runKey(r: ReportResult): string {
  return r.status === 'ok' ? `${r.check}\u0000ok\u0000${r.ignored === true}` : `${r.check}\u0000${r.status}\u0000${r.code ?? ''}\u0000${r.ignored === true}`;
}

function byComponent(a: ReportResult, b: ReportResult): number {
  return (
    COMPONENTS.indexOf(a.component) - COMPONENTS.indexOf(b.component) || a.check.localeCompare(b.check) || SEVERITY_ORDER[a.status] - SEVERITY_ORDER[b.status]
  );
}

/**
 * A healthy 50-node cluster should not print 300 green rows, nor 5,000 unreachable kubelets
 * 5,000 red ones: a check's ok results fold into one row naming the first subject and how many
 * more, and a problem shows its first ten subjects and one row for the rest.
 */
function foldRuns(sorted: ReportResult[]): { result: ReportResult; subject: string; message: string }[] {
  const rows: { result: ReportResult; subject: string; message: string }[] = [];
  const plain = (r: ReportResult) => ({ result: r, subject: safeText(r.subject), message: safeText(r.message) });
  for (let i = 0; i < sorted.length;) {
    const r = sorted[i]!;
    const key = runKey(r);
    let j = i + 1;
    while (j < sorted.length && runKey(sorted[j]!) === key) j += 1;
    const run = j - i;
    if (r.status === 'ok' && !r.ignored && run > OK_ROWS_PER_CHECK) {
      rows.push({ result: r, subject: `${safeText(r.subject)} and ${run - 1} more`, message: `all ${run} ok; ${safeText(r.message)}` });
    } else if (r.status !== 'ok' && run > ROWS_PER_PROBLEM + 1) {
      rows.push(...sorted.slice(i, i + ROWS_PER_PROBLEM).map(plain));
      rows.push({ result: r, subject: `… and ${run - ROWS_PER_PROBLEM} more`, message: `${r.code ?? r.status} as above (-o json lists every one)` });
    } else {
      rows.push(...sorted.slice(i, j).map(plain));
    }
    i = j;
  }
  return rows;
}

/** Results no component table took: one row per check and subject, healthy runs folded. */
function checksTable(results: ReportResult[]): ComponentTable | null {
  if (results.length === 0) return null;
  const all = foldRuns([...results].sort(byComponent)).map(({ result, subject, message }) => ({
    status: result.status,
    cells: [result.component, result.check, subject, result.ignored ? `${LABEL[result.status]}*` : LABEL[result.status], message],
  }));
  // A healthy check has nothing to say in the default view: its rows fold into one line that
  // counts them (-o wide, Markdown and HTML list every row), so a healthy cluster fits a screen.
  const rows = all.filter((r) => r.status !== 'ok');
  const healthy = all.length - rows.length;
  const folded =
    healthy > 0 && rows.length < all.length
      ? { all, summary: [{ status: 'ok' as const, cells: ['', `${healthy} more`, 'checks', 'OK', '-o wide lists them'] }] }
      : undefined;
  return {
    ...(folded ? { folded } : {}),
    id: 'checks',
    title: 'Checks',
    columns: [
      { header: 'COMPONENT', wideOnly: true },
      { header: 'CHECK', priority: 1 },
      { header: 'SUBJECT', wrap: true, min: 12 },
      { header: 'STATUS' },
      { header: 'MESSAGE', wrap: true, min: 20 },
    ],
    rows,
  };
}

export interface ReportView {
  verdict: Verdict;
  problems: Problem[];
  tables: ComponentTable[];
  /** Header lines beyond tool, context and server: where the targets came from, how a wait went. */
  notes: string[];
}

/**
 * The report as people read it. `foldHealthy`: the default terminal output folds healthy
 * certificate rows into one (the soonest to expire stays); wide, Markdown and HTML keep all.
 */
export function viewOf(report: Report): ReportView {
  const problems = problemsOf(report);
  const used = new Set<ReportResult>();
  const results = report.results;
  const tables = [
    apiServerTable(results, used),
    etcdMemberTable(results, used),
    nodeTable(results, used),
    certificateRows(
      results.filter(
        (r) => r.component === 'certs' && r.data !== undefined && (str(r.data['notAfter']) ?? str(r.data['name']) ?? str(r.data['source'])) !== null,
      ),
      used,
    ),
  ]
    .filter((t): t is ComponentTable => t !== null)
    .map((t) => (t.folded ? t : foldRows(t)));
  const rest = checksTable(results.filter((r) => !used.has(r)));
  if (rest) tables.push(rest);
  return { verdict: verdictOf(report, problems), problems, tables, notes: notesOf(report) };
}

function notesOf(report: Report): string[] {
  const notes: string[] = [];
  const from = report.target.kubeconfigFrom;
  if (from) notes.push(`No kubeconfig found: used this ${safeText(from.distribution)} node's admin kubeconfig ${safeText(from.path)}.`);
  const cache = report.discoveryCache;
  if (cache) {
    const taken = [plural(cache.hosts.length, 'host'), plural(cache.apiServers.length, 'API server'), plural(cache.etcd.length, 'etcd endpoint')].join(', ');
    notes.push(
      `The API server did not list the nodes: ${taken} from the discovery cache ${safeText(cache.path)}, written ${formatSeconds(cache.ageSeconds)} ago.`,
    );
  }
  if (report.interrupted) {
    const stopped = [...new Set(report.results.filter((r) => r.message === INTERRUPTED_MESSAGE).map((r) => r.check))];
    notes.push(`Interrupted (partial report)${stopped.length > 0 ? `; ${INTERRUPTED_MESSAGE} before ${stopped.join(', ')}` : ''}.`);
  }
  if (report.deadlineReached) notes.push(deadlineNote(report, report.deadlineReached));
  if (report.wait) {
    const w = report.wait;
    notes.push(
      `Waited ${formatSeconds(Math.round(w.elapsedMs / 1000))} over ${plural(w.attempts, 'run')}: ${w.passed ? 'passed' : `still failing: ${w.neverPassed.join(', ')}`}.`,
    );
  }
  return notes;
}

/** What a check's budget left undone, as its `notFinished` line counts it (engine/runner.ts notFinishedFinding). */
function notFinishedOf(data: Record<string, unknown> | undefined): { count: number; what: string } | null {
  const n = data?.['notFinished'];
  if (typeof n !== 'object' || n === null) return null;
  const { count, what } = n as { count?: unknown; what?: unknown };
  return typeof count === 'number' && typeof what === 'string' ? { count, what } : null;
}

/**
 * "Deadline 50s reached: 412 kubelets not probed (kubelet); …": what the run could not finish,
 * counted, so that a reader of the table or the Markdown knows the report is partial and where.
 */
function deadlineNote(report: Report, reached: NonNullable<Report['deadlineReached']>): string {
  const left: string[] = [];
  const kept: string[] = [];
  for (const check of reached.checks) {
    const counts = report.results.filter((r) => r.check === check).flatMap((r) => notFinishedOf(r.data) ?? []);
    if (counts.length === 0) kept.push(check);
    for (const c of counts) left.push(`${c.count} ${safeText(c.what)} (${check})`);
  }
  const stopped = kept.length > 0 ? `${kept.join(', ')} stopped with what ${kept.length === 1 ? 'it' : 'they'} had found` : '';
  const parts = [left.join(', '), stopped].filter((p) => p !== '');
  return `Deadline ${formatSeconds(Math.round(reached.deadlineMs / 1000))} reached: ${parts.join('; ')}.`;
}

/** 7500 → `2h5m`, as the cache note has always said it. */
export function formatSeconds(seconds: number): string {
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  if (d > 0) return `${d}d${h}h`;
  if (h > 0) return `${h}h${m}m`;
  if (m > 0) return `${m}m`;
  return `${seconds}s`;
}
