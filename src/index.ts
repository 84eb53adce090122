// The programmatic API: what the CLI calls, and what other tools can import. No side
// effects on import, no process.exit, no writes to stdout.
import { setMaxListeners } from 'node:events';
import { CHECKS, NEEDS_NO_DISCOVERY } from './registry/index.js';
import { discoverersFor, discoverTargets, type DiscoveryScope } from './discovery/discover.js';
import { targetsFromFlags } from './discovery/index.js';
import { kubeconfigWarnings, loadKubeconfig, nodeEnvironmentOf, type NodeEnvironment } from './discovery/kubeconfig.js';
import { createLimiter, fanoutShare, type Limiter } from './engine/limit.js';
import { capByOpenFiles } from './util/open-files.js';
import { createFairLimiter } from './engine/fair-limit.js';
import { startEarlyProbes } from './engine/early-probes.js';
import { fileCacheStore, readOnce, targetsWithCache } from './discovery/cache.js';
import { limitProbes, type Lanes, type ProbeTrace } from './engine/limited-probes.js';
import { buildReport, type ReportInput } from './engine/report.js';
import { runChecks } from './engine/runner.js';
import { selectChecks } from './engine/select.js';
import { createFacts } from './observe/facts.js';
import { createMemo, type ObserveScope } from './observe/scope.js';
import type { Check, CheckContext, Report } from './engine/types.js';
import { deadlineFor, type CheckOptions } from './options.js';
import { applyPolicy } from './config/policy.js';
import type { ResultPolicy } from './config/types.js';
import { createProbes } from './probes/index.js';
import type { Progress } from './progress.js';
import { VERSION } from './version.js';
import { UsageError } from './errors.js';
import { safeText } from './util/terminal-text.js';
import type { Targets } from './discovery/targets.js';

export type { Check, Finding, Report, Result } from './engine/types.js';
export type { CheckOptions } from './options.js';
export { CHECKS } from './registry/index.js';
export { buildReport, exitCodeFor } from './engine/report.js';
export { render } from './render/index.js';
export { VERSION } from './version.js';

export interface RunEnvironment {
  env: NodeJS.ProcessEnv;
  /** stderr sink for --debug lines. */
  log: (line: string) => void;
  signal?: AbortSignal;
  now?: () => Date;
  checks?: readonly Check[];
  /** Config-file severity overrides and ignores, applied before the report is built. */
  policy?: ResultPolicy;
  /** The TTY progress line; told the number of checks, then each start and end. */
  progress?: Pick<Progress, 'begin' | 'onCheck' | 'end'>;
  /** The user's terminal: warnings, and exec credential plugins' prompts. */
  stderr?: NodeJS.WritableStream;
  /** false: neither read nor write the discovery cache (the demo's throwaway cluster shares kubeadm's context name with real ones). */
  discoveryCache?: boolean;
  /** The --concurrency slots, when several runs share them (runMany); default: the run's own. */
  limit?: Limiter;
  /** This machine's `/` and whether the run is root there; default: `/` and the process's uid (tests stand a folder in). */
  node?: NodeEnvironment;
}

/**
 * With no kubeconfig, no endpoint flag and no PKI folder every check would skip and the run
 * would end "OK": a smoke test must not pass on that, so it is a usage error (exit 2).
 */
function requireSomethingToCheck(targets: Targets): void {
  const nothing =
    targets.kubeServer === null &&
    targets.apiServers.length === 0 &&
    targets.etcd.length === 0 &&
    targets.hosts.length === 0 &&
    targets.pkiDir === null &&
    targets.etcdBackupDir === null;
  if (nothing) {
    throw new UsageError(
      "nothing to check: no kubeconfig found (KUBECONFIG, ~/.kube/config, or as root a node's admin kubeconfig such as /etc/kubernetes/admin.conf) and no --apiserver, --etcd, --hosts or --pki-dir given; pass one, or try 'k8sdoc demo'",
    );
  }
}

/** The priority lanes of a run: its API server and etcd endpoints (as discovery adds them) never queue behind the fan-out. */
function lanesFor(targets: Targets, concurrency: number): Lanes {
  return {
    fanout: createLimiter(fanoutShare(concurrency)),
    priority: (host, port) => [targets.kubeServer, ...targets.apiServers, ...targets.etcd].some((e) => e !== null && e.host === host && e.port === port),
  };
}

/** --debug: one line per probe, in the order they end, with times from the start of the run. */
function probeTimeline(runStarted: number, log: (line: string) => void): ProbeTrace {
  return ({ what, askedAt, waitedMs, ms, outcome }) => {
    const waited = waitedMs >= 1 ? `, waited ${Math.round(waitedMs)} ms for a slot` : '';
    log(`probe +${Math.round(askedAt - runStarted)} ms ${what}: ${outcome} after ${Math.round(ms)} ms${waited}`);
  };
}

/** `node-list` when every selected check judges only what the facts give it (`--only nodes`): discovery then asks for nothing else. */
function discoveryScopeOf(checks: readonly Check[]): DiscoveryScope {
  return checks.every((c) => NEEDS_NO_DISCOVERY.has(c.id)) ? 'node-list' : 'all';
}

/**
 * The endpoints and file paths this run used for etcd, so that the report's etcdctl steps carry
 * them; none when the run had no client certificate to ask etcd with.
 */
function etcdAccessOf(ctx: CheckContext): Pick<ReportInput, 'etcd'> {
  const { targets } = ctx;
  if (targets.etcd.length === 0 || !ctx.facts.etcd.credentials()) return {};
  const { caFile, certFile, keyFile } = targets.etcdTls;
  return {
    etcd: {
      endpoints: targets.etcd.map((e) => e.url),
      ...(caFile !== undefined ? { cacert: caFile } : {}),
      ...(certFile !== undefined ? { cert: certFile } : {}),
      ...(keyFile !== undefined ? { key: keyFile } : {}),
    },
  };
}

/** Loads the kubeconfig, discovers targets, runs the selected checks, returns the report. */
export async function runDiagnosis(options: CheckOptions, environment: RunEnvironment): Promise<Report> {
  const now = environment.now ?? (() => new Date());
  const startedAt = now();
  const started = performance.now();
  // Debug lines carry what the cluster sent (node names, addresses, error text): shown
  // escaped, one line each, so an escape sequence or a newline in them cannot act on the terminal.
  const log = options.debug ? (line: string) => environment.log(safeText(line)) : () => undefined;
  const checks = selectChecks(environment.checks ?? CHECKS, options.only, options.skip);
  const node = environment.node ?? nodeEnvironmentOf(environment.env);
  const kubeconfig = loadKubeconfig({ explicitPath: options.kubeconfig, env: environment.env, node }, options.context);
  const targets = targetsFromFlags(options, kubeconfig, node);
  requireSomethingToCheck(targets);
  for (const warning of kubeconfigWarnings(kubeconfig)) environment.stderr?.write(`k8sdoc: warning: ${warning}\n`);
  const probeSet = createProbes(kubeconfig, targets, options, { env: environment.env, ...(environment.stderr ? { stderr: environment.stderr } : {}) });
  const controller = new AbortController();
  // Every in-flight probe listens for the run's abort; thousands may be in flight.
  setMaxListeners(0, controller.signal);
  const onAbort = () => controller.abort();
  environment.signal?.addEventListener('abort', onAbort, { once: true });
  // Interrupted before the run began: the listener above would never be called.
  if (environment.signal?.aborted) controller.abort();
  // Never more sockets than the open-file limit allows: past it every connect fails with EMFILE.
  const concurrency = capByOpenFiles(options.concurrency);
  if (concurrency < options.concurrency) log(`--concurrency ${options.concurrency} capped to ${concurrency} by the open-file limit (ulimit -n)`);
  const limit = environment.limit ?? createLimiter(concurrency);
  const lanes = lanesFor(targets, concurrency);
  const trace = options.debug ? probeTimeline(started, log) : undefined;
  const scope: ObserveScope = {
    targets,
    probes: limitProbes(probeSet.probes, limit, trace, lanes),
    options,
    signal: controller.signal,
    memo: createMemo(),
    log,
  };
  const ctx: CheckContext = { facts: createFacts(scope), targets, now: startedAt, signal: controller.signal, options, log };
  const cacheStore = environment.discoveryCache === false ? null : readOnce(fileCacheStore);
  const flagged = { hosts: options.hosts.length > 0, apiservers: options.apiservers.length > 0 };
  const early = startEarlyProbes(ctx, checks, {
    raw: probeSet.probes,
    limit,
    trace,
    lanes,
    targets: () => targetsWithCache(environment.env, targets, flagged, cacheStore),
    factsFor: (earlyTargets, probes) => createFacts({ ...scope, targets: earlyTargets, probes }),
  });
  try {
    await discoverTargets(targets, ctx, discoverersFor(environment.env, cacheStore, discoveryScopeOf(checks)));
    early.discoveryDone();
    for (const note of targets.notes) log(note);
    environment.progress?.begin(checks.length);
    const deadlineMs = options.deadlineMs ?? deadlineFor(options.timeoutMs);
    const cut: string[] = [];
    const raw = await runChecks(checks, ctx, {
      // What discovery left of the run's --deadline (a tenth of it at least, so the checks can say what they could not finish).
      checkTimeoutMs: Math.round(Math.max(deadlineMs - (performance.now() - started), deadlineMs / 10)),
      onBudgetSpent: (check) => cut.push(check),
      ...(environment.progress ? { onProgress: environment.progress.onCheck } : {}),
    });
    const results = environment.policy ? applyPolicy(raw, environment.policy) : raw;
    return buildReport({
      version: VERSION,
      context: targets.context,
      server: targets.kubeServer?.url ?? null,
      ...(kubeconfig?.nodeAdmin ? { kubeconfigFrom: { path: kubeconfig.nodeAdmin.path, distribution: kubeconfig.nodeAdmin.distribution } } : {}),
      startedAt,
      durationMs: Math.round(performance.now() - started),
      results,
      ...(targets.fromCache ? { discoveryCache: targets.fromCache } : {}),
      ...(targets.shape
        ? {
            cluster: {
              distribution: targets.shape.distribution,
              datastore: targets.shape.datastore,
              vantage: targets.shape.vantage,
              ...(targets.shape.localNode ? { localNode: targets.shape.localNode } : {}),
              evidence: targets.shape.evidence,
            },
          }
        : {}),
      deadlineReached: { deadlineMs, checks: cut },
      ...etcdAccessOf(ctx),
    });
  } finally {
    environment.progress?.end();
    environment.signal?.removeEventListener('abort', onAbort);
    controller.abort();
    await probeSet.close();
  }
}

/** One cluster of a runMany: its report, or why it could not be checked as asked. */
export type ClusterRun = { context: string; report: Report } | { context: string; error: UsageError };

export interface RunManyEnvironment extends Omit<RunEnvironment, 'limit' | 'progress'> {
  /**
   * Wraps each cluster's diagnosis (check --wait re-runs it until it passes); default: one
   * run. Every cluster waits against the same deadline, side by side.
   */
  each?: (diagnose: () => Promise<Report>, context: string) => Promise<Report>;
}

/**
 * Diagnoses several clusters (one options object per kubeconfig context) at once. They share
 * one --concurrency budget, taken in turn (engine/fair-limit.ts), so --concurrency still
 * bounds the sockets this host opens, and a cluster with thousands of hung probes cannot queue
 * the others behind it. A context that cannot run as asked (a missing certificate file) is
 * reported as such without stopping the others; other errors reject.
 */
export async function runMany(optionsList: readonly CheckOptions[], environment: RunManyEnvironment): Promise<ClusterRun[]> {
  if (optionsList.length === 0) return [];
  const shared = createFairLimiter(capByOpenFiles(optionsList[0]!.concurrency));
  const each = environment.each ?? ((diagnose) => diagnose());
  return Promise.all(
    optionsList.map(async (options): Promise<ClusterRun> => {
      const context = options.context ?? '';
      const limit = shared.lane();
      const log = (line: string) => environment.log(`[${context}] ${line}`);
      try {
        return { context, report: await each(() => runDiagnosis(options, { ...environment, log, limit }), context) };
      } catch (err) {
        if (err instanceof UsageError) return { context, error: err };
        throw err;
      }
    }),
  );
}
