import type { Component, Evidence, Level, Severity } from '../engine/types.js';
import type { Distribution } from '../shape/types.js';

/**
 * A condition that changes the severity of one code, said in words for the docs. A grade may
 * weigh `ok`: the condition is worth saying (the finding keeps its code and message) but is
 * no problem, e.g. a certificate its distribution renews by itself at the next start.
 */
export interface Grade {
  severity: Level;
  when: string;
}

/** When a variant applies: every key given must hold (a list means any of its values). */
export type VariantCondition = {
  readonly [K in keyof Evidence]?: NonNullable<Evidence[K]> | readonly NonNullable<Evidence[K]>[];
} & {
  /** The distribution the run inferred (or `--distribution` set). */
  readonly distribution?: Distribution | readonly Distribution[];
};

/**
 * The same problem seen through other evidence: its own likely causes and first steps. The
 * first variant whose condition holds replaces the entry's `causes`/`fix`/`symptom` (each only
 * when given); none holding leaves the entry's own.
 */
export interface Variant {
  when: VariantCondition;
  /** The condition in words, for `explain`, the docs and JSON (`variant`). */
  label: string;
  symptom?: string;
  causes?: readonly string[];
  fix?: readonly string[];
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
  /**
   * Concrete steps, commands first. A step may be a template: `<node>`, `<host>`, `<id>` … are
   * filled from the finding (see fill.ts), and a whole step `@logs kube-apiserver` becomes the
   * commands of the run's distribution (`@status`, `@logs`, `@restart`, `@renew-certificates`,
   * `@etcd-snapshot`, `@etcd-members`, `@etcd-remove-member`; see src/shape/distributions.ts).
   */
  fix: readonly string[];
  /** The same problem under other evidence, first match wins (see `Variant`). */
  variants?: readonly Variant[];
  /** Words people type in an incident that should find this entry (`k8sdoc explain …`). */
  keywords: readonly string[];
  docs?: string;
}
