// Runs the selected checks concurrently. A thrown error is an `error` result, an unmet need
// a `skip` result, a check that outlives its guard an `error` result: the run always ends
// with a result per check, never with a crash. Shortly before the guard, each check's budget
// fires, so that a check with thousands of targets returns what it found by then instead of
// losing it all to the guard.
import { setMaxListeners } from 'node:events';
import type { Check, CheckContext, Finding, NeedId, Result } from './types.js';
import { NEEDS, type NeedResolver } from './needs.js';

export interface RunOptions {
  /** Guard for a whole check (many probes): what is left of the run's --deadline; each probe has its own --timeout besides. */
  checkTimeoutMs: number;
  /** Told of each check whose budget ran out before it finished (the report names them). */
  onBudgetSpent?: (check: string) => void;
  needs?: Record<NeedId, NeedResolver>;
  /** Told when each check starts and ends (the TTY progress line); never affects results. */
  onProgress?: (event: CheckProgress) => void;
}

export interface CheckProgress {
  kind: 'start' | 'end';
  check: string;
}

function resultsFrom(check: Check, findings: Finding[], durationMs: number): Result[] {
  if (findings.length === 0) {
    return [{ check: check.id, component: check.component, subject: check.component, status: 'ok', message: 'nothing to report', durationMs }];
  }
  return findings.map((f) => {
    if ((f.status === 'warn' || f.status === 'crit') && f.code === undefined) {
      return {
        check: check.id,
        component: check.component,
        subject: f.subject,
        status: 'error',
        message: `check reported '${f.status}' without a catalogue code (a bug in k8sdoc): ${f.message}`,
        durationMs,
      };
    }
    return { ...f, check: check.id, component: check.component, durationMs };
  });
}

/** Each need of a run resolved once, whichever check asks first. */
const resolvedNeeds = new WeakMap<CheckContext, Map<NeedId, Promise<string | null>>>();

async function unmetNeed(check: Check, ctx: CheckContext, needs: Record<NeedId, NeedResolver>): Promise<string | null> {
  let resolved = resolvedNeeds.get(ctx);
  if (!resolved) resolvedNeeds.set(ctx, (resolved = new Map()));
  for (const need of check.needs) {
    let reason = resolved.get(need);
    if (!reason) resolved.set(need, (reason = needs[need](ctx)));
    if ((await reason) !== null) return reason;
  }
  return null;
}

function guard<T>(work: Promise<T>, ms: number, signal: AbortSignal, deadlineMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`did not finish within ${deadlineMs} ms`)), ms);
    // A listener added to a signal that has already fired is never called.
    if (signal.aborted) reject(new Error('run aborted'));
    signal.addEventListener('abort', () => reject(new Error('run aborted')), { once: true });
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}

export async function runCheck(check: Check, ctx: CheckContext, options: RunOptions): Promise<Result[]> {
  options.onProgress?.({ kind: 'start', check: check.id });
  try {
    return await runCheckGuarded(check, ctx, options);
  } finally {
    options.onProgress?.({ kind: 'end', check: check.id });
  }
}

/**
 * How long before the guard a check's budget fires: long enough to turn what it has into
 * findings and render them, short enough to leave the probes most of the time.
 */
export function budgetGraceMs(checkTimeoutMs: number): number {
  return Math.min(1000, Math.floor(checkTimeoutMs / 10));
}

/** What `withinBudget` gives instead of a value the budget did not leave time for. */
export const OUT_OF_BUDGET: unique symbol = Symbol('out of budget');

/**
 * The work's value, or OUT_OF_BUDGET once the check's budget has fired: a check that fans out
 * awaits each target through this and reports the ones cut off as not finished.
 */
export function withinBudget<T>(ctx: Pick<CheckContext, 'budget'>, work: Promise<T>): Promise<T | typeof OUT_OF_BUDGET> {
  const budget = ctx.budget;
  if (!budget) return work;
  if (budget.aborted) {
    // Settled already: keep it (a memoised probe that finished costs nothing to use).
    return Promise.race([work, Promise.resolve().then((): typeof OUT_OF_BUDGET => OUT_OF_BUDGET)]);
  }
  return new Promise((resolve, reject) => {
    const stop = () => resolve(OUT_OF_BUDGET);
    budget.addEventListener('abort', stop, { once: true });
    work.then(
      (v) => {
        budget.removeEventListener('abort', stop);
        resolve(v);
      },
      (e: unknown) => {
        budget.removeEventListener('abort', stop);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

/**
 * What a check says of the targets its budget left no time for: one `skip` line with how many
 * and the first few, so they are never lost with the rest. `what` completes "412 …": `kubelets
 * not probed`; the report's deadline note repeats it from `data.notFinished`.
 */
export function notFinishedFinding(
  ctx: Pick<CheckContext, 'options'>,
  o: { subject: string; what: string; names: readonly string[]; data?: Record<string, unknown> },
): Finding {
  const shown = o.names.slice(0, 5).join(', ') + (o.names.length > 5 ? `, and ${o.names.length - 5} more` : '');
  const deadline = ctx.options.deadlineMs === undefined ? '' : ` (--deadline ${ctx.options.deadlineMs / 1000}s)`;
  return {
    status: 'skip',
    subject: o.subject,
    message: `${o.names.length} ${o.what} within the budget${deadline}: ${shown}`,
    data: { ...o.data, notFinished: { count: o.names.length, what: o.what } },
  };
}

/** What a check that SIGINT or SIGTERM stopped says: not a failure of the cluster, nor of the check. */
export const INTERRUPTED_MESSAGE = 'not finished: the run was interrupted';

async function runCheckGuarded(check: Check, ctx: CheckContext, options: RunOptions): Promise<Result[]> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  // Aborted probes fail fast, and what a check or a need makes of that would read as findings.
  const interrupted = (): Result[] => [
    { check: check.id, component: check.component, subject: check.component, status: 'skip', message: INTERRUPTED_MESSAGE, durationMs: elapsed() },
  ];
  try {
    const reason = await unmetNeed(check, ctx, options.needs ?? NEEDS);
    if (ctx.signal.aborted) return interrupted();
    if (reason !== null) {
      return [{ check: check.id, component: check.component, subject: check.component, status: 'skip', message: reason, durationMs: elapsed() }];
    }
    const remaining = options.checkTimeoutMs - elapsed();
    const budget = new AbortController();
    // withinBudget listens once per target a check awaits: thousands of kubelets at a time.
    setMaxListeners(0, budget.signal);
    const budgetTimer = setTimeout(() => budget.abort(), Math.max(0, remaining - budgetGraceMs(options.checkTimeoutMs)));
    try {
      const findings = await guard(check.run({ ...ctx, budget: budget.signal }), Math.max(0, remaining), ctx.signal, options.checkTimeoutMs);
      if (budget.signal.aborted) options.onBudgetSpent?.(check.id);
      return resultsFrom(check, findings, elapsed());
    } catch (err) {
      if (budget.signal.aborted && !ctx.signal.aborted) options.onBudgetSpent?.(check.id);
      throw err;
    } finally {
      clearTimeout(budgetTimer);
    }
  } catch (err) {
    if (ctx.signal.aborted) return interrupted();
    const message = err instanceof Error ? err.message.split('\n')[0]! : String(err);
    ctx.log(`check ${check.id} failed: ${err instanceof Error ? (err.stack ?? message) : message}`);
    return [
      { check: check.id, component: check.component, subject: check.component, status: 'error', message: `check failed: ${message}`, durationMs: elapsed() },
    ];
  }
}

/** Runs every check at once; probes inside them share the --concurrency limit via ctx. */
export async function runChecks(checks: readonly Check[], ctx: CheckContext, options: RunOptions): Promise<Result[]> {
  const perCheck = await Promise.all(checks.map((check) => runCheck(check, ctx, options)));
  return perCheck.flat();
}
