// Applies a config's per-code severity overrides and ignore rules to the results before
// the report is built: the report then leaves ignored findings out of its status, root
// causes and exit code, but keeps them, marked, with the reason.
import type { ReportResult, Result } from '../engine/types.js';
import { subjectMatches } from './glob.js';
import type { ResultPolicy } from './types.js';

function isProblem(r: Result): boolean {
  return r.status === 'warn' || r.status === 'crit';
}

export function applyPolicy(results: readonly Result[], policy: ResultPolicy): ReportResult[] {
  return results.map((r) => {
    if (!isProblem(r) || r.code === undefined) return r;
    const severity = policy.severity.get(r.code);
    const adjusted: ReportResult = severity && severity !== r.status ? { ...r, status: severity } : { ...r };
    const rule = policy.ignores.find((i) => i.code === r.code && i.subjects.some((s) => subjectMatches(s, r.subject)));
    if (rule) {
      adjusted.ignored = true;
      adjusted.ignoreReason = rule.reason;
    }
    return adjusted;
  });
}
