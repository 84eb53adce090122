// What a config file holds once read and checked.
import type { AnyCode } from '../catalogue/codes.js';
import type { Severity } from '../engine/types.js';

/** Accept a known finding for chosen subjects without silencing the code everywhere. */
export interface IgnoreRule {
  code: AnyCode;
  /** Exact subjects or `*`/`?` patterns (see glob.ts). */
  subjects: string[];
  /** Mandatory: shown in the report next to every finding it hides. */
  reason: string;
  line: number;
}

export interface ResultPolicy {
  /** Keyed by built-in codes and by plugins' namespaced codes (checked once the plugins are loaded). */
  severity: ReadonlyMap<AnyCode, Severity>;
  ignores: readonly IgnoreRule[];
}

export interface ConfigFile extends ResultPolicy {
  path: string;
  /** Flag values keyed by commander's option name, shaped as commander would pass them. */
  defaults: Record<string, string | boolean>;
  /** Line each default was set on, by option name: later validation errors name it. */
  lines: Record<string, number>;
  /** `plugins:`: paths (resolved against the file's folder) and package names, in order. */
  plugins?: string[];
  /** Line of each plugin entry, and of plugin codes named in severity and ignore, for errors found once plugins load. */
  pluginLines?: Record<string, number>;
}
