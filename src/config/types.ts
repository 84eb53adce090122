// What a config file holds once read and checked.
import type { Code } from '../catalogue/codes.js';
import type { Severity } from '../engine/types.js';

/** Accept a known finding for chosen subjects without silencing the code everywhere. */
export interface IgnoreRule {
  code: Code;
  /** Exact subjects or `*`/`?` patterns (see glob.ts). */
  subjects: string[];
  /** Mandatory: shown in the report next to every finding it hides. */
  reason: string;
  line: number;
}

export interface ResultPolicy {
  severity: ReadonlyMap<Code, Severity>;
  ignores: readonly IgnoreRule[];
}

export interface ConfigFile extends ResultPolicy {
  path: string;
  /** Flag values keyed by commander's option name, shaped as commander would pass them. */
  defaults: Record<string, string | boolean>;
  /** Line each default was set on, by option name: later validation errors name it. */
  lines: Record<string, number>;
}
