// The config file's flag keys, derived from the option table so that a new flag is a new
// key without another list to keep: the long flag name (`fail-on`, `no-color`) is the key.
import { CHECK_OPTIONS, type OptionSpec } from '../options.js';

export interface FlagKey {
  /** Key in the file: the long flag without its dashes. */
  key: string;
  spec: OptionSpec;
}

/**
 * A config file naming another config file would make the lookup order ambiguous; plugins
 * have their own section (`plugins:`, a list), which reads better than a repeated flag.
 */
const NOT_IN_FILE = new Set(['config', 'plugin']);

export function longFlagName(spec: OptionSpec): string {
  const m = /--([a-z0-9-]+)/.exec(spec.flags);
  if (!m) throw new Error(`option ${spec.name} has no long flag`);
  return m[1]!;
}

export const FLAG_KEYS: ReadonlyMap<string, FlagKey> = new Map(
  CHECK_OPTIONS.filter((spec) => !NOT_IN_FILE.has(spec.name)).map((spec) => {
    const key = longFlagName(spec);
    return [key, { key, spec }] as const;
  }),
);

/** Sections besides the flag defaults. */
export const SECTION_KEYS = ['severity', 'ignore', 'plugins'] as const;
export const IGNORE_ENTRY_KEYS = ['code', 'subjects', 'reason'] as const;
