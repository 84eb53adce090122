// `k8sdoc check`: config file defaults, options, one run or a wait loop, the rendered report;
// with several contexts, one run per cluster side by side and one combined output.
import { CHECKS, exitCodeFor, render, runDiagnosis, runMany, VERSION } from '../index.js';
import { markInterrupted } from '../engine/report.js';
import { safeText } from '../util/terminal-text.js';
import { loadConfig } from '../config/load.js';
import { closest } from '../config/suggest.js';
import { mergeConfigDefaults, pointAtConfig } from '../config/merge.js';
import { listContexts } from '../discovery/kubeconfig.js';
import { selectChecks } from '../engine/select.js';
import { UsageError } from '../errors.js';
import { resolveCheckOptions, type CheckOptions } from '../options.js';
import { parseList } from '../util/parse.js';
import { createProgress, progressWanted } from '../progress.js';
import type { Check, Report } from '../engine/types.js';
import { pluginSpecs, pluginsWanted } from '../plugin/specs.js';
import { renderMany, type ClusterFailure } from '../render/many.js';
import type { CommandIo, CommandResult } from './io.js';

type Raw = Record<string, string | boolean | undefined>;

/** The report as the chosen format, and the exit code it implies. */
export function reportResult(report: Report, options: CheckOptions, io: Pick<CommandIo, 'columns'>): CommandResult {
  return {
    output: render(report, options.output, { color: options.color, width: io.columns, failOn: options.failOn, problemsOnly: options.problemsOnly }),
    exitCode: exitCodeFor(report, options.failOn),
  };
}

/**
 * Flags that name one cluster's machines or files: with several contexts they would be
 * probed as part of every cluster, and each report would blame its cluster for them.
 */
const ONE_CLUSTER_FLAGS: readonly [name: string, flag: string][] = [
  ['apiserver', '--apiserver'],
  ['etcd', '--etcd'],
  ['etcdCacert', '--etcd-cacert'],
  ['etcdCert', '--etcd-cert'],
  ['etcdKey', '--etcd-key'],
  ['hosts', '--hosts'],
  ['pkiDir', '--pki-dir'],
  ['etcdBackupDir', '--etcd-backup-dir'],
];

/** The contexts to check when there are several (`--context a,b`, `--all-contexts`), else null. */
function severalContexts(raw: Raw, io: CommandIo): string[] | null {
  const named = typeof raw.context === 'string' ? parseList(raw.context) : [];
  if (raw.allContexts === true) {
    if (named.length > 0) throw new UsageError('--all-contexts and --context exclude each other; pass one of them');
    const all = listContexts({ explicitPath: typeof raw.kubeconfig === 'string' ? raw.kubeconfig : null, env: io.env });
    if (all.length === 0) throw new UsageError('--all-contexts: the kubeconfig has no contexts; pass --kubeconfig, or set KUBECONFIG');
    return all;
  }
  if (named.length < 2) return null;
  const repeated = named.find((n, i) => named.indexOf(n) !== i);
  if (repeated) throw new UsageError(`--context: '${repeated}' is named twice`);
  // A mistyped name is a usage error before anything runs, not one missing report among many.
  // (An unreadable kubeconfig lists nothing here; the runs then say what is wrong with it.)
  const known = listContexts({ explicitPath: typeof raw.kubeconfig === 'string' ? raw.kubeconfig : null, env: io.env });
  const unknown = known.length > 0 ? named.find((n) => !known.includes(n)) : undefined;
  if (unknown !== undefined) {
    const hint = closest(unknown, known);
    throw new UsageError(
      `--context: context '${unknown}' not found in the kubeconfig${hint ? ` (did you mean '${hint}'?)` : ''}; known contexts: ${known.join(', ')}`,
    );
  }
  return named;
}

/** `typed(name)` says whether the user typed the flag (it then wins over the config file). */
export async function runCheck(raw: Raw, typed: (name: string) => boolean, io: CommandIo): Promise<CommandResult> {
  const config = await loadConfig({ explicitPath: typeof raw.config === 'string' ? raw.config : null, cwd: io.cwd, env: io.env });
  let options: CheckOptions;
  let contexts: string[] | null;
  let checks: readonly Check[] = CHECKS;
  try {
    const merged = mergeConfigDefaults(raw, config, typed);
    contexts = severalContexts(merged, io);
    options = resolveCheckOptions(contexts ? { ...merged, context: contexts[0] } : merged, { isTTY: io.stdoutIsTTY, env: io.env });
    // Plugins load before anything is probed: a broken one is named at once (exit 2).
    // The loader (validation, adapters, the plugin context) loads only when a plugin is asked for.
    const specs = pluginSpecs((raw as Record<string, unknown>).plugin);
    if (pluginsWanted(specs, config)) {
      const { checksWithPlugins } = await import('../plugin/for-run.js');
      checks = (await checksWithPlugins(specs, config, options.failOn, io)).checks;
    }
    // Here rather than only in the run, so that a selection from the config file is named as such.
    selectChecks(checks, options.only, options.skip);
    if (contexts) {
      const flag = ONE_CLUSTER_FLAGS.find(([name]) => merged[name] !== undefined && merged[name] !== false);
      if (flag) throw new UsageError(`${flag[1]} names one cluster's machines or files; with several contexts, check that cluster alone (--context <name>)`);
    }
  } catch (err) {
    throw pointAtConfig(err, config, typed);
  }
  if (options.insecureSkipTlsVerify) {
    io.stderr.write('k8sdoc: warning: --insecure-skip-tls-verify: server certificates are not verified (findings still say why they would fail)\n');
  }
  const log = (line: string) => io.stderr.write(`debug: ${line}\n`);
  if (options.debug && config) log(`config file ${config.path}`);
  if (contexts) return runSeveral(contexts, options, io, log, config ?? undefined, checks);
  const progress = createProgress(io.stderr, progressWanted(io.stderr, options.output));
  const diagnose = () =>
    runDiagnosis(options, { env: io.env, log, signal: io.signal, progress, stderr: io.stderr, checks, ...(config ? { policy: config } : {}) });
  let report: Report;
  if (options.waitMs === null) report = await diagnose();
  else {
    const { waitUntilPassing, waitVerdict } = await import('../engine/wait.js');
    // The failing messages shown between runs quote the cluster: escaped before the terminal sees them.
    const onAttempt: typeof progress.onWaitAttempt = (a) =>
      progress.onWaitAttempt({ ...a, failing: a.failing.map((f) => ({ ...f, message: safeText(f.message) })) });
    report = await waitUntilPassing(diagnose, { waitMs: options.waitMs, failOn: options.failOn, signal: io.signal, onAttempt });
    io.stderr.write(`${waitVerdict(report, options.failOn)}\n`);
  }
  // SIGINT or SIGTERM: what finished is printed, marked so that it never reads as a clean run.
  if (io.signal.aborted) report = markInterrupted(report);
  return reportResult(report, options, io);
}

/**
 * Every context at once within one --concurrency budget (runMany), each with --wait's deadline
 * of its own run when asked. Exit code: the worst of the clusters; a cluster that could not
 * be checked as asked (its kubeconfig entry is broken) makes it 2, after every report is out.
 */
async function runSeveral(
  contexts: string[],
  first: CheckOptions,
  io: CommandIo,
  log: (line: string) => void,
  policy: Parameters<typeof runDiagnosis>[1]['policy'],
  checks: readonly Check[],
): Promise<CommandResult> {
  const optionsList = contexts.map((context) => ({ ...first, context }));
  const startedAt = new Date();
  const started = performance.now();
  const wait = first.waitMs === null ? null : await import('../engine/wait.js');
  const runs = await runMany(optionsList, {
    env: io.env,
    log,
    signal: io.signal,
    checks,
    ...(policy ? { policy } : {}),
    ...(wait
      ? {
          each: async (diagnose, context) => {
            const report = await wait.waitUntilPassing(diagnose, { waitMs: first.waitMs!, failOn: first.failOn, signal: io.signal });
            io.stderr.write(`[${context}] ${wait.waitVerdict(report, first.failOn)}\n`);
            return report;
          },
        }
      : {}),
  });
  const clusters = runs.map((run): Report | ClusterFailure => ('report' in run ? run.report : { context: run.context, message: run.error.message }));
  const output = renderMany(
    { tool: { name: 'k8sdoc', version: VERSION }, startedAt: startedAt.toISOString(), durationMs: Math.round(performance.now() - started), clusters },
    first.output,
    { color: first.color, width: io.columns, failOn: first.failOn },
  );
  const failed = runs.filter((run) => 'error' in run);
  for (const run of failed) io.stderr.write(`k8sdoc: context ${safeText(run.context)}: ${safeText(run.error.message)}\n`);
  const failing = runs.some((run) => 'report' in run && exitCodeFor(run.report, first.failOn) === 1);
  return { output, exitCode: failed.length > 0 ? 2 : failing ? 1 : 0 };
}
