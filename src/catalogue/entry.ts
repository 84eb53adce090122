import type { Component, Severity } from '../engine/types.js';

/** One catalogue entry: what the user sees, why it happens, what to do. */
export interface Entry {
  component: Component;
  /** Short name shown in lists. */
  title: string;
  /** Default severity of a finding with this code (a config file may override it). */
  severity: Severity;
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
