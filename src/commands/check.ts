// `k8sdoc check`: config file defaults, options, one run or a wait loop, the rendered report.
import { exitCodeFor, render, runDiagnosis } from '../index.js';
import { loadConfig } from '../config/load.js';
import { mergeConfigDefaults, pointAtConfig } from '../config/merge.js';
import { resolveCheckOptions, type CheckOptions } from '../options.js';
import { createProgress, progressWanted } from '../progress.js';
import type { Report } from '../engine/types.js';
import type { CommandIo, CommandResult } from './io.js';

type Raw = Record<string, string | boolean | undefined>;

/** The report as the chosen format, and the exit code it implies. */
export function reportResult(report: Report, options: CheckOptions, io: Pick<CommandIo, 'columns'>): CommandResult {
  return {
    output: render(report, options.output, { color: options.color, width: io.columns, failOn: options.failOn, problemsOnly: options.problemsOnly }),
    exitCode: exitCodeFor(report, options.failOn),
  };
}

/** `typed(name)` says whether the user typed the flag (it then wins over the config file). */
export async function runCheck(raw: Raw, typed: (name: string) => boolean, io: CommandIo): Promise<CommandResult> {
  const config = await loadConfig({ explicitPath: typeof raw.config === 'string' ? raw.config : null, cwd: io.cwd, env: io.env });
  let options: CheckOptions;
  try {
    options = resolveCheckOptions(mergeConfigDefaults(raw, config, typed), { isTTY: io.stdoutIsTTY, env: io.env });
  } catch (err) {
    throw pointAtConfig(err, config, typed);
  }
  if (options.insecureSkipTlsVerify) {
    io.stderr.write('k8sdoc: warning: --insecure-skip-tls-verify: server certificates are not verified (findings still say why they would fail)\n');
  }
  const log = (line: string) => io.stderr.write(`debug: ${line}\n`);
  if (options.debug && config) log(`config file ${config.path}`);
  const progress = createProgress(io.stderr, progressWanted(io.stderr, options.output));
  const diagnose = () => runDiagnosis(options, { env: io.env, log, signal: io.signal, progress, ...(config ? { policy: config } : {}) });
  let report: Report;
  if (options.waitMs === null) report = await diagnose();
  else {
    const { waitUntilPassing, waitVerdict } = await import('../engine/wait.js');
    report = await waitUntilPassing(diagnose, { waitMs: options.waitMs, failOn: options.failOn, signal: io.signal, onAttempt: progress.onWaitAttempt });
    io.stderr.write(`${waitVerdict(report, options.failOn)}\n`);
  }
  return reportResult(report, options, io);
}
