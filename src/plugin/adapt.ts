// Turns a validated plugin into checks the engine runs like its own. What a plugin check does
// wrong (throws, hangs past its budget, returns something that is not a list of findings,
// picks a severity, uses a code it did not declare) becomes an `error` result naming the
// plugin: the run and its report go on.
import type { Entry } from '../catalogue/entry.js';
import type { Check, CheckContext, Component, Finding, NeedId } from '../engine/types.js';
import type { Plugin, PluginCheck, PluginCode } from './api.js';
import { pluginContext } from './context.js';

/** What a loaded plugin adds to a run: its checks, its catalogue, its triage rules. */
export interface LoadedPlugin {
  plugin: Plugin;
  /** Where it was loaded from, as the user named it. */
  source: string;
  checks: Check[];
}

/**
 * A plugin check's budget: five probes' worth of --timeout, at least 2 s, then it is an error
 * result naming the plugin. Always inside the run's --deadline (ten rounds of --timeout by
 * default), so the plugin's own budget, not the run's guard, is what stops a hung plugin.
 */
export function pluginBudgetMs(timeoutMs: number, deadlineMs?: number): number {
  const own = Math.max(timeoutMs * 5, 2_000);
  return deadlineMs === undefined ? own : Math.min(own, Math.floor(deadlineMs * 0.8));
}

/** The catalogue entry of a plugin code in the built-in entry shape (a plugin's component is its own). */
export function entryOf(plugin: Plugin, code: PluginCode, component: string): Entry {
  const e = plugin.catalogue[code]!;
  return {
    // A plugin's own component travels through the engine's Component-typed fields; every
    // consumer treats a component it does not know as a group of its own.
    component: component as Component,
    title: e.title,
    severity: e.severity,
    symptom: e.symptom,
    causes: [...e.causes],
    fix: [...e.fix],
    keywords: [...(e.keywords ?? [])],
    ...(e.docs ? { docs: e.docs } : {}),
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const FINDING_KEYS = new Set(['status', 'code', 'subject', 'message', 'about', 'data', 'grade']);

/** One returned finding, judged; a string is why it is malformed. */
function judge(plugin: Plugin, check: PluginCheck, raw: unknown): Finding | string {
  if (!isObject(raw)) return `returned ${Array.isArray(raw) ? 'a list' : typeof raw} where a finding belongs`;
  for (const key of Object.keys(raw)) if (!FINDING_KEYS.has(key)) return `a finding has an unknown field '${key}'`;
  if (typeof raw.subject !== 'string' || raw.subject === '') return 'a finding has no subject';
  if (typeof raw.message !== 'string') return `the finding on ${raw.subject} has no message`;
  const about = raw.about === undefined || isObject(raw.about) ? (raw.about as Finding['about']) : undefined;
  if (raw.about !== undefined && about === undefined) return `the finding on ${raw.subject} has an 'about' that is not an object`;
  const data = raw.data === undefined || isObject(raw.data) ? (raw.data as Finding['data']) : undefined;
  const base = { subject: raw.subject, message: raw.message, ...(about ? { about } : {}), ...(data ? { data } : {}) };
  if (raw.code === undefined) {
    if (raw.status === 'warn' || raw.status === 'crit')
      return `reported '${raw.status}' on ${raw.subject} without a code; raise one of its catalogue codes (ctx.raise) instead`;
    if (raw.status !== 'ok' && raw.status !== 'skip')
      return `the finding on ${raw.subject} has status '${String(raw.status)}'; use ctx.ok, ctx.skip or ctx.raise`;
    return { ...base, status: raw.status };
  }
  const code = check.codes.find((c) => c === raw.code);
  const entry = code === undefined ? undefined : plugin.catalogue[code];
  if (code === undefined || entry === undefined) return `raised '${String(raw.code)}', which check '${check.id}' does not declare in its codes`;
  // The catalogue decides how grave it is; a status the plugin wrote is not consulted.
  return { ...base, code, status: entry.severity };
}

function withBudget<T>(work: Promise<T>, ms: number, onExpiry: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onExpiry();
      reject(new Error(`did not finish within its budget of ${ms} ms`));
    }, ms);
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}

/** The engine check that runs one plugin check under the plugin's name. */
export function adaptCheck(plugin: Plugin, check: PluginCheck): Check {
  const who = `plugin ${plugin.name}`;
  const fail = (subject: string, message: string): Finding => ({ status: 'error', subject, message: `${who}: ${message}`, data: { plugin: plugin.name } });
  return {
    id: check.id,
    component: check.component as Component,
    title: check.title,
    needs: (check.needs ?? []) as readonly NeedId[],
    codes: check.codes,
    async run(ctx: CheckContext): Promise<Finding[]> {
      const own = new AbortController();
      const onAbort = () => own.abort();
      if (ctx.signal.aborted) own.abort();
      else ctx.signal.addEventListener('abort', onAbort, { once: true });
      const pctx = pluginContext({ ...ctx, signal: own.signal }, plugin.name);
      let returned: unknown;
      try {
        returned = await withBudget(
          Promise.resolve().then(() => check.run(pctx)),
          pluginBudgetMs(ctx.options.timeoutMs, ctx.options.deadlineMs),
          () => own.abort(),
        );
      } catch (err) {
        // The run itself stopping is the runner's to report (interrupted), not the plugin's fault.
        if (ctx.signal.aborted) throw err;
        const message = err instanceof Error ? err.message.split('\n')[0]! : String(err);
        ctx.log(`${who} check ${check.id} failed: ${err instanceof Error ? (err.stack ?? message) : message}`);
        return [fail(check.component, `check ${check.id} failed: ${message}`)];
      } finally {
        ctx.signal.removeEventListener('abort', onAbort);
      }
      if (!Array.isArray(returned))
        return [fail(check.component, `check ${check.id} returned ${returned === null ? 'null' : typeof returned}, not a list of findings`)];
      const findings: Finding[] = [];
      for (const raw of returned as unknown[]) {
        const judged = judge(plugin, check, raw);
        findings.push(
          typeof judged === 'string'
            ? fail(isObject(raw) && typeof raw.subject === 'string' ? raw.subject : check.component, `check ${check.id} ${judged}`)
            : judged,
        );
      }
      return findings;
    },
  };
}
