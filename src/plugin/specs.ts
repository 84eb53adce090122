// Whether a run asks for plugins at all, answered without loading the plugin machinery: the
// loader, validation and adapters pull in the whole check registry, the catalogue and triage,
// which `checks`, `explain` and completion otherwise read from generated data.
import type { ConfigFile } from '../config/types.js';

/** What commander hands over for a repeatable option: nothing, one value, or every value. */
export function pluginSpecs(raw: unknown): string[] {
  if (raw === undefined || raw === false || raw === true) return [];
  return Array.isArray(raw) ? raw.map(String) : [String(raw)];
}

/**
 * Whether plugins must be loaded: a --plugin, a config file's `plugins:`, or a config file
 * naming a plugin's code (which the loader then reports as defined by no loaded plugin).
 */
export function pluginsWanted(specs: readonly string[], config: Pick<ConfigFile, 'plugins' | 'pluginLines'> | null): boolean {
  return specs.length > 0 || (config?.plugins?.length ?? 0) > 0 || Object.keys(config?.pluginLines ?? {}).length > 0;
}
