// The one way a check reports a problem: by catalogue code. The catalogue decides the
// severity (and, for a graded code, what the named condition weighs), so no check picks
// 'warn' or 'crit' itself and the same problem is equally grave wherever it is seen.
import type { Finding, Level, Severity } from '../engine/types.js';
import type { Grade } from './entry.js';
import type { Code } from './codes.js';
import { ENTRIES } from './entries.js';

/** A finding with a catalogue code, as a check states it: everything but the status. */
export type Problem = Omit<Finding, 'status' | 'code'> & {
  code: Code;
  /** A grade the code's catalogue entry names (`cert-expiring`: `urgent`); absent: the entry's severity. */
  grade?: string;
};

/** The severity the catalogue gives a code, or one of its grades. */
export function severityOf(code: Code, grade?: string): Level {
  const entry = ENTRIES[code] as { severity: Severity; grades?: Readonly<Record<string, Grade>> };
  if (grade === undefined) return entry.severity;
  const graded = entry.grades?.[grade];
  // A grade the catalogue does not know is a bug in k8sdoc: the runner turns a thrown error into an `error` result.
  if (graded === undefined) throw new Error(`catalogue entry ${code} has no grade '${grade}'`);
  return graded.severity;
}

export function raise(problem: Problem): Finding {
  const { grade, ...finding } = problem;
  return { ...finding, status: severityOf(problem.code, grade) };
}
