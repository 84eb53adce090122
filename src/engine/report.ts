// The one report model every renderer hangs off, and the exit code it implies.
import { entryFor } from '../catalogue/index.js';
import type { FailOn } from '../options.js';
import { triage } from './triage.js';
import type { DiscoveryCacheUse } from '../discovery/targets.js';
import type { Level, Report, ReportResult, Result, Status } from './types.js';

const STATUS_ORDER: Record<Status, number> = { ok: 0, skip: 0, error: 0, warn: 1, crit: 2 };

export interface ReportInput {
  version: string;
  context: string | null;
  server: string | null;
  startedAt: Date;
  durationMs: number;
  results: Result[];
  discoveryCache?: DiscoveryCacheUse;
  /** The checks the run's --deadline cut short, and the deadline; absent when none was. */
  deadlineReached?: { deadlineMs: number; checks: string[] };
}

/** Puts each result's fields in the contract's order and adds the catalogue text to problems. */
function withCatalogue(r: ReportResult): ReportResult {
  const out: ReportResult = { check: r.check, component: r.component, subject: r.subject, status: r.status, message: r.message, durationMs: 0 };
  if (r.code !== undefined) out.code = r.code;
  if ((r.status === 'warn' || r.status === 'crit') && r.code) {
    const entry = entryFor(r.code);
    out.symptom = entry.symptom;
    // `cause` stays for readers of the first schema; `causes` keeps the catalogue's order.
    out.cause = entry.causes.join('; ');
    out.causes = [...entry.causes];
    out.fix = [...entry.fix];
    if (entry.docs !== undefined) out.docs = entry.docs;
  }
  // Re-set so it follows the catalogue text, as in CONTRACT.md's example.
  delete (out as Partial<ReportResult>).durationMs;
  out.durationMs = r.durationMs;
  if (r.data !== undefined) out.data = r.data;
  if (r.timedOut !== undefined && r.timedOut.length > 0) out.timedOut = r.timedOut;
  if (r.ignored) {
    out.ignored = true;
    out.ignoreReason = r.ignoreReason;
  }
  return out;
}

export function worstLevel(results: readonly Pick<Result, 'status'>[]): Level {
  let worst: Level = 'ok';
  for (const r of results) {
    if (STATUS_ORDER[r.status] > STATUS_ORDER[worst]) worst = r.status as Level;
  }
  return worst;
}

export function buildReport(input: ReportInput): Report {
  const summary: Report['summary'] = { ok: 0, warn: 0, crit: 0, skip: 0, error: 0 };
  const active = input.results.filter((r) => !(r as ReportResult).ignored);
  for (const r of active) summary[r.status] += 1;
  // Present only when a config file ignored something, so reports without one keep their shape.
  if (active.length < input.results.length) summary.ignored = input.results.length - active.length;
  return {
    schemaVersion: 1,
    tool: { name: 'k8sdoc', version: input.version },
    target: { context: input.context, server: input.server },
    startedAt: input.startedAt.toISOString(),
    durationMs: input.durationMs,
    status: worstLevel(active),
    summary,
    rootCauses: triage(active),
    timedOut: [...new Set(input.results.flatMap((r) => r.timedOut ?? []))],
    ...(input.discoveryCache ? { discoveryCache: input.discoveryCache } : {}),
    results: input.results.map(withCatalogue),
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
  const threshold = failOn === 'warn' ? 1 : 2;
  // A check that crashed proved nothing: a smoke test must not pass on it.
  return STATUS_ORDER[r.status] >= threshold || r.status === 'error';
}

/** 0: nothing at or above --fail-on; 1: something is. (2 is the CLI's, for usage errors.) */
export function exitCodeFor(report: Report, failOn: FailOn): 0 | 1 {
  return report.results.some((r) => failsRun(r, failOn)) ? 1 : 0;
}
