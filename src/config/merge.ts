// Config-file defaults go in as raw flag values before the options are resolved, so one
// set of parsers and range checks judges both; what the command line gives wins.
import { UsageError } from '../errors.js';
import { CHECK_OPTIONS } from '../options.js';
import { longFlagName } from './keys.js';
import type { ConfigFile } from './types.js';

type RawValue = string | boolean | undefined;

/**
 * `fromCommandLine(name)` says whether the user typed that option (commander's value
 * source), because commander fills defaults such as `color: true` for `--no-color`.
 */
export function mergeConfigDefaults(
  raw: Record<string, RawValue>,
  config: ConfigFile | null,
  fromCommandLine: (name: string) => boolean,
): Record<string, RawValue> {
  if (!config) return raw;
  const merged = { ...raw };
  for (const [name, value] of Object.entries(config.defaults)) {
    if (!fromCommandLine(name)) merged[name] = value;
  }
  return merged;
}

/**
 * A value can pass the file's type check and still be refused once all options are known
 * (`crit-days` above `warn-days`): name the file and line of the config keys the message
 * mentions so the user knows where to look.
 */
export function pointAtConfig(err: unknown, config: ConfigFile | null, fromCommandLine: (name: string) => boolean): unknown {
  if (!(err instanceof UsageError) || !config) return err;
  const places: string[] = [];
  for (const spec of CHECK_OPTIONS) {
    const line = config.lines[spec.name];
    const flag = `--${longFlagName(spec)}`;
    if (line === undefined || fromCommandLine(spec.name)) continue;
    if (new RegExp(`${flag}(?![a-z-])`).test(err.message)) places.push(`'${longFlagName(spec)}' on line ${line}`);
  }
  if (places.length === 0) return err;
  return new UsageError(`${err.message} (set in config file ${config.path}: ${places.join(', ')})`);
}
