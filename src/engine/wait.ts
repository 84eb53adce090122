// `check --wait <duration>`: a cluster change takes minutes to settle, so a pipeline re-runs
// the whole diagnosis until nothing is at or above --fail-on or the time is up. A run in
// flight is never cut short (its report is the one returned), and a last run is made at
// the deadline, so the wait ends at most one run after it.
import type { FailOn } from '../options.js';
import { failsRun } from './report.js';
import type { Report } from './types.js';

/** Pause between runs: long enough not to hammer a recovering API server. */
export const WAIT_INTERVAL_MS = 2000;

export interface FailingCheck {
  check: string;
  /** The check's last failing message (the first failing subject when it has several). */
  message: string;
}

export interface WaitAttempt {
  attempt: number;
  elapsedMs: number;
  remainingMs: number;
  passed: boolean;
  failing: FailingCheck[];
}

export interface WaitOptions {
  waitMs: number;
  failOn: FailOn;
  intervalMs?: number;
  signal?: AbortSignal;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  onAttempt?: (attempt: WaitAttempt) => void;
}

export function failingChecks(report: Report, failOn: FailOn): FailingCheck[] {
  const byCheck = new Map<string, string>();
  for (const r of report.results) {
    if (failsRun(r, failOn) && !byCheck.has(r.check)) byCheck.set(r.check, `${r.subject}: ${r.message}`);
  }
  return [...byCheck].map(([check, message]) => ({ check, message }));
}

function sleepFor(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Runs `diagnose` until it passes or `waitMs` is spent; the last report carries a `wait` summary. */
export async function waitUntilPassing(diagnose: () => Promise<Report>, o: WaitOptions): Promise<Report> {
  const now = o.now ?? (() => performance.now());
  const sleep = o.sleep ?? sleepFor;
  const interval = o.intervalMs ?? WAIT_INTERVAL_MS;
  const started = now();
  const passedOnce = new Set<string>();
  for (let attempt = 1; ; attempt++) {
    const report = await diagnose();
    const failing = failingChecks(report, o.failOn);
    const failingIds = new Set(failing.map((f) => f.check));
    for (const r of report.results) if (!failingIds.has(r.check)) passedOnce.add(r.check);
    const elapsedMs = Math.round(now() - started);
    const remainingMs = Math.max(0, o.waitMs - elapsedMs);
    const passed = failing.length === 0;
    o.onAttempt?.({ attempt, elapsedMs, remainingMs, passed, failing });
    if (passed || remainingMs === 0 || o.signal?.aborted) {
      const neverPassed = failing.map((f) => f.check).filter((id) => !passedOnce.has(id));
      return { ...report, wait: { attempts: attempt, elapsedMs, passed, neverPassed } };
    }
    await sleep(Math.min(interval, remainingMs), o.signal);
  }
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

/** The one stderr line that ends a wait: how long it took, or what never passed. */
export function waitVerdict(report: Report, failOn: FailOn): string {
  const w = report.wait;
  if (!w) return '';
  const runs = `${w.attempts} run${w.attempts === 1 ? '' : 's'}`;
  if (w.passed) return `k8sdoc: --wait: passed after ${seconds(w.elapsedMs)} (${runs})`;
  const failing = failingChecks(report, failOn).map((f) => f.check);
  const never = w.neverPassed.length > 0 ? `; never passed: ${w.neverPassed.join(', ')}` : '';
  return `k8sdoc: --wait: still failing after ${seconds(w.elapsedMs)} (${runs}): ${failing.join(', ')}${never}`;
}
