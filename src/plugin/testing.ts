// For plugin authors' tests (`import { runPluginAgainst } from 'k8sdoc/plugin/testing'`): start
// k8sdoc's simulated cluster on loopback, run the built-in checks and the plugin's against it as
// `k8sdoc check` would, and hand back the report. The cluster is stopped before it returns.
import { Command, Option } from 'commander';
import { CHECKS, runDiagnosis } from '../index.js';
import { CHECK_OPTIONS, resolveCheckOptions } from '../options.js';
import { startCluster } from '../sim/cluster.js';
import type { ScenarioSpec } from '../sim/scenarios/spec.js';
import type { Report } from '../engine/types.js';
import type { Plugin } from './api.js';
import { register } from './load.js';
import { loadPlugins } from './load.js';
import { validatePlugin } from './validate.js';

export type { ScenarioSpec } from '../sim/scenarios/spec.js';
export type { Report, ReportResult, RootCause } from '../engine/types.js';

export interface RunAgainstOptions {
  /**
   * The loopback address block of the simulated cluster (1..511, see the simulator's hosts):
   * test files running at once need blocks of their own. Block b uses 127.b.0.0/16 (256+k: 127.k.250.x).
   */
  block: number;
  /** Further `k8sdoc check` flags (`['--only', 'cert-manager']`). */
  args?: string[];
  /** Real etcd members when the `etcd` binary is installed (default), else an in-process stand-in. */
  etcd?: boolean | 'standin';
}

/** Parses check flags through the same option table as the CLI. */
function parseArgs(argv: string[]): Record<string, string | boolean | undefined> {
  const parser = new Command('check').exitOverride().configureOutput({ writeErr: () => undefined, outputError: () => undefined });
  for (const spec of CHECK_OPTIONS) parser.addOption(new Option(spec.flags));
  parser.parse(argv, { from: 'user' });
  return parser.opts();
}

/**
 * Runs the plugin (a path to its module or rules file, or the object its module exports)
 * with the built-in checks against a simulated cluster built from `scenario`, and returns
 * the report (`-o json`'s model: results, rootCauses, summary).
 */
export async function runPluginAgainst(plugin: string | Plugin, scenario: ScenarioSpec, options: RunAgainstOptions): Promise<Report> {
  const taken = { checks: new Set(CHECKS.map((c) => c.id)), plugins: new Set<string>(), codes: new Set<string>() };
  let pluginChecks;
  if (typeof plugin === 'string') {
    const { loaded, failures } = await loadPlugins([{ spec: plugin, base: process.cwd() }], { env: process.env, builtinIds: [...taken.checks] });
    if (failures[0]) throw failures[0];
    pluginChecks = loaded.flatMap((p) => p.checks);
  } else {
    pluginChecks = register(validatePlugin(plugin, plugin.name ?? 'plugin', taken), plugin.name).checks;
  }
  const cluster = await startCluster(scenario, { block: options.block, ...(options.etcd !== undefined ? { etcd: options.etcd } : {}) });
  try {
    const raw = parseArgs([...cluster.checkArgs, ...(options.args ?? [])]);
    const checkOptions = resolveCheckOptions(raw, { isTTY: false, env: process.env });
    return await runDiagnosis(checkOptions, {
      env: { HOME: cluster.workDir },
      log: () => undefined,
      checks: [...CHECKS, ...pluginChecks],
      discoveryCache: false,
    });
  } finally {
    await cluster.stop();
  }
}
