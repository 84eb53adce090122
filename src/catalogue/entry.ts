import type { Component, Level, Severity } from '../engine/types.js';

/**
 * A condition that changes the severity of one code, said in words for the docs. A grade may
 * weigh `ok`: the condition is worth saying (the finding keeps its code and message) but is
 * no problem, e.g. a certificate its distribution renews by itself at the next start.
 */
export interface Grade {
  severity: Level;
  when: string;
}

/** One catalogue entry: what the user sees, why it happens, what to do. */
export interface Entry {
  component: Component;
  /** Short name shown in lists. */
  title: string;
  /** Severity of a finding with this code (a config file may override it). */
  severity: Severity;
  /**
   * Named conditions under which the same problem is graver (or milder) than `severity`; a
   * check names the condition it saw, the catalogue decides what it weighs.
   */
  grades?: Readonly<Record<string, Grade>>;
  /** What the user sees, in their words. */
  symptom: string;
  /** Likely reasons, most likely first. */
  causes: readonly string[];
  /** Concrete steps, commands first. */
  fix: readonly string[];
  /** Words people type in an incident that should find this entry (`k8sdoc explain …`). */
  keywords: readonly string[];
  docs?: string;
}
