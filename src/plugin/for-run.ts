// The plugins of one `check` (or `demo`) run: the config file's `plugins:` then each --plugin,
// loaded and validated before anything is probed. A plugin that cannot be loaded is a usage
// error (exit 2) naming it; with --fail-on never it is an `error` result instead, so a broken
// plugin cannot cost a pipeline that asked never to fail its report.
import { CHECKS } from '../registry/index.js';
import { isKnownCode } from '../catalogue/index.js';
import type { ConfigFile } from '../config/types.js';
import type { Check } from '../engine/types.js';
import { UsageError } from '../errors.js';
import type { FailOn } from '../options.js';
import { loadFailureCheck, loadPlugins, type PluginRef } from './load.js';

export { pluginSpecs } from './specs.js';

export interface RunPlugins {
  /** The built-in checks and every plugin's, in that order. */
  checks: readonly Check[];
  /** Whether any plugin was asked for. */
  any: boolean;
}

export async function checksWithPlugins(
  specs: readonly string[],
  config: ConfigFile | null,
  failOn: FailOn,
  io: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<RunPlugins> {
  const refs: PluginRef[] = [...(config?.plugins ?? []).map((spec) => ({ spec, base: io.cwd })), ...specs.map((spec) => ({ spec, base: io.cwd }))];
  if (refs.length === 0) {
    unknownPluginCodes(config);
    return { checks: CHECKS, any: false };
  }
  const { loaded, failures } = await loadPlugins(refs, { env: io.env, builtinIds: CHECKS.map((c) => c.id) });
  if (failures.length > 0 && failOn !== 'never') {
    const first = failures[0]!;
    const line = config?.pluginLines?.[`plugin:${first.plugin}`];
    const where = line !== undefined && config ? ` (config file ${config.path} line ${line})` : '';
    throw new UsageError(`${first.message}${where}${failures.length > 1 ? ` (and ${failures.length - 1} more plugin(s) failed)` : ''}`);
  }
  unknownPluginCodes(config);
  return { checks: [...CHECKS, ...loaded.flatMap((p) => p.checks), ...failures.map((f, i) => loadFailureCheck(f, i))], any: true };
}

/** A config file's severity or ignore naming a plugin code that no loaded plugin defines. */
function unknownPluginCodes(config: ConfigFile | null): void {
  for (const [key, line] of Object.entries(config?.pluginLines ?? {})) {
    if (!key.startsWith('code:')) continue;
    const code = key.slice('code:'.length);
    if (!isKnownCode(code)) {
      throw new UsageError(
        `config file ${config!.path} line ${line}: '${code}' is not a code of any loaded plugin; load the plugin that defines it (plugins: or --plugin)`,
      );
    }
  }
}
