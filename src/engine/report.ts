// The one report model every renderer hangs off, and the exit code it implies.
import { entryFor } from '../catalogue/index.js';
import { fillSteps, type EtcdAccess, type FillContext } from '../catalogue/fill.js';
import { resolveEntry } from '../catalogue/resolve.js';
import { DISTRIBUTIONS, type Distribution } from '../shape/types.js';
import type { FailOn } from '../options.js';
import { rootCausesOf, triageGroups, type TriageGroup } from './triage.js';
import type { DiscoveryCacheUse } from '../discovery/targets.js';
import type { ClusterShape, Level, Report, ReportResult, Result, Status } from './types.js';

const STATUS_ORDER: Record<Status, number> = { ok: 0, skip: 0, error: 0, warn: 1, crit: 2 };

export interface ReportInput {
  version: string;
  context: string | null;
  server: string | null;
  startedAt: Date;
  durationMs: number;
  results: Result[];
  discoveryCache?: DiscoveryCacheUse;
  cluster?: ClusterShape;
  /** Set when no kubeconfig was found and a node's admin kubeconfig was used (the report's `target.kubeconfigFrom`). */
  kubeconfigFrom?: { path: string; distribution: string };
  /** The checks the run's --deadline cut short, and the deadline; absent when none was. */
  deadlineReached?: { deadlineMs: number; checks: string[] };
  /** How the run reached etcd (endpoints and file paths), to fill `<etcdctl>` steps; absent without an etcd client certificate. */
  etcd?: EtcdAccess;
}

/** Puts each result's fields in the contract's order and adds the catalogue text to problems. */
function withCatalogue(r: ReportResult, triaged: Triaged = {}, context: FillContext = {}): ReportResult {
  const out: ReportResult = {
    check: r.check,
    component: r.component,
    subject: r.subject,
    status: triaged.severity ?? r.status,
    message: r.message,
    durationMs: 0,
  };
  if (r.code !== undefined) out.code = r.code;
  if ((r.status === 'warn' || r.status === 'crit') && r.code) {
    const entry = entryFor(r.code);
    // The words that fit what was observed and the cluster's distribution (a variant), else the entry's own.
    const words = resolveEntry(entry, r.about, context.distribution);
    out.symptom = words.symptom;
    // `cause` stays for readers of the first schema; `causes` keeps the catalogue's order.
    out.cause = words.causes.join('; ');
    out.causes = [...words.causes];
    out.fix = [...words.fix];
    out.steps = fillSteps(words.fix, r.component, r.about, context);
    if (words.variant !== undefined) out.variant = words.variant;
    if (entry.docs !== undefined) out.docs = entry.docs;
  }
  // Re-set so it follows the catalogue text, as in the example of docs/contract.md.
  delete (out as Partial<ReportResult>).durationMs;
  out.durationMs = r.durationMs;
  if (r.data !== undefined) out.data = r.data;
  if (r.about !== undefined) out.about = r.about;
  if (triaged.explainedBy) out.explainedBy = { code: triaged.explainedBy.code!, subject: triaged.explainedBy.subject };
  if (r.timedOut !== undefined && r.timedOut.length > 0) out.timedOut = r.timedOut;
  if (r.ignored) {
    out.ignored = true;
    out.ignoreReason = r.ignoreReason;
  }
  return out;
}

function fillContext(cluster: ClusterShape | undefined, etcd: EtcdAccess | undefined): FillContext {
  const d = cluster?.distribution;
  return {
    ...(d !== undefined && (DISTRIBUTIONS as readonly string[]).includes(d) ? { distribution: d as Distribution } : {}),
    ...(etcd !== undefined ? { etcd } : {}),
  };
}

export function worstLevel(results: readonly Pick<Result, 'status'>[]): Level {
  let worst: Level = 'ok';
  for (const r of results) {
    if (STATUS_ORDER[r.status] > STATUS_ORDER[worst]) worst = r.status as Level;
  }
  return worst;
}

/** What triage says of one result: the cause that explains it, or the severity of the problem it roots. */
interface Triaged {
  explainedBy?: Result;
  severity?: 'warn' | 'crit';
}

/**
 * Two checks may see one fault on one subject (a 401 answers both /version and /readyz): the
 * same code on the same subject is one problem, so the later root joins the first one's group
 * as its echo instead of being counted and printed as a problem of its own.
 */
function sameFault(a: Pick<Result, 'code' | 'subject'>, b: Pick<Result, 'code' | 'subject'>): boolean {
  return a.code === b.code && a.subject === b.subject;
}

function sameFaultOnce(groups: TriageGroup[]): TriageGroup[] {
  const first = new Map<string, TriageGroup>();
  const out: TriageGroup[] = [];
  for (const g of groups) {
    const key = `${g.root.code}\u0000${g.root.subject}`;
    const kept = first.get(key);
    if (!kept) {
      const copy = { ...g, explained: [...g.explained] };
      first.set(key, copy);
      out.push(copy);
      continue;
    }
    for (const e of [g.root, ...g.explained]) if (!kept.explained.includes(e)) kept.explained.push(e);
    if (g.severity === 'crit') kept.severity = 'crit';
  }
  return out;
}

export function buildReport(input: ReportInput): Report {
  const summary: Report['summary'] = { ok: 0, warn: 0, crit: 0, skip: 0, error: 0 };
  const active = input.results.filter((r) => !(r as ReportResult).ignored);
  const groups = sameFaultOnce(triageGroups(active));
  // One problem, one line of severity: a cause is at least as grave as what it explains (a
  // member gone explains its refused ports), and its echoes point back at it so that the
  // exit code and the counts follow the problems, not every finding they cause.
  const triaged = new Map<Result, Triaged>();
  for (const g of groups) {
    if (g.severity !== g.root.status) triaged.set(g.root, { severity: g.severity });
    for (const e of g.explained) if (!triaged.has(e)) triaged.set(e, { explainedBy: g.root });
  }
  for (const r of active) summary[triaged.get(r)?.severity ?? r.status] += 1;
  // Present only when a config file ignored something, so reports without one keep their shape.
  if (active.length < input.results.length) summary.ignored = input.results.length - active.length;
  const echoes = [...triaged].filter(([, t]) => t.explainedBy !== undefined);
  // The same fault seen by a second check is the problem again, not a finding it explains.
  const explained = echoes.filter(([r, t]) => !sameFault(r, t.explainedBy!)).length;
  // Present only when a cause explains something: "1 problem explains 9 findings".
  if (echoes.length > 0) summary.problems = active.filter((r) => (r.status === 'warn' || r.status === 'crit') && !triaged.get(r)?.explainedBy).length;
  if (explained > 0) summary.explained = explained;
  return {
    schemaVersion: 1,
    tool: { name: 'k8sdoc', version: input.version },
    target: { context: input.context, server: input.server, ...(input.kubeconfigFrom ? { kubeconfigFrom: input.kubeconfigFrom } : {}) },
    startedAt: input.startedAt.toISOString(),
    durationMs: input.durationMs,
    status: worstLevel(active.map((r) => ({ status: triaged.get(r)?.severity ?? r.status }))),
    summary,
    rootCauses: rootCausesOf(groups),
    timedOut: [...new Set(input.results.flatMap((r) => r.timedOut ?? []))],
    ...(input.discoveryCache ? { discoveryCache: input.discoveryCache } : {}),
    ...(input.cluster ? { cluster: input.cluster } : {}),
    results: input.results.map((r) => withCatalogue(r, triaged.get(r), fillContext(input.cluster, input.etcd))),
    ...(input.deadlineReached && input.deadlineReached.checks.length > 0 ? { deadlineReached: input.deadlineReached } : {}),
  };
}

/**
 * The report of a run that SIGINT or SIGTERM stopped: marked, so that no format passes it off
 * as a full diagnosis. The results stay as they are (what finished is still true).
 */
export function markInterrupted(report: Report): Report {
  return { ...report, interrupted: true };
}

/** Whether this one result makes the run fail under --fail-on (wait mode names such checks). */
export function failsRun(r: ReportResult, failOn: FailOn): boolean {
  if (failOn === 'never' || r.ignored) return false;
  // An echo never fails a run on its own: its cause is at least as grave and fails it.
  if (r.explainedBy !== undefined) return false;
  const threshold = failOn === 'warn' ? 1 : 2;
  // A check that crashed proved nothing: a smoke test must not pass on it.
  return STATUS_ORDER[r.status] >= threshold || r.status === 'error';
}

/** 0: nothing at or above --fail-on; 1: something is. (2 is the CLI's, for usage errors.) */
export function exitCodeFor(report: Report, failOn: FailOn): 0 | 1 {
  return report.results.some((r) => failsRun(r, failOn)) ? 1 : 0;
}
