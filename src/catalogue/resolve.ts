// Which words of an entry fit a finding: the entry's own, or the first variant whose condition
// holds for what the check observed (`about.evidence`) and the cluster's distribution.
import type { About } from '../engine/types.js';
import type { Distribution } from '../shape/types.js';
import type { Entry, Variant, VariantCondition } from './entry.js';

export interface Resolved {
  symptom: string;
  causes: readonly string[];
  fix: readonly string[];
  /** The label of the variant chosen, when one was. */
  variant?: string;
}

function holds(when: VariantCondition, about: About | undefined, distribution: Distribution | undefined): boolean {
  for (const [key, wanted] of Object.entries(when) as [string, unknown][]) {
    const seen = key === 'distribution' ? distribution : (about?.evidence as Record<string, unknown> | undefined)?.[key];
    if (seen === undefined) return false;
    if (Array.isArray(wanted) ? !wanted.includes(seen) : wanted !== seen) return false;
  }
  return true;
}

export function variantFor(entry: Entry, about: About | undefined, distribution?: Distribution): Variant | undefined {
  return entry.variants?.find((v) => holds(v.when, about, distribution));
}

export function resolveEntry(entry: Entry, about: About | undefined, distribution?: Distribution): Resolved {
  const v = variantFor(entry, about, distribution);
  if (v === undefined) return { symptom: entry.symptom, causes: entry.causes, fix: entry.fix };
  return { symptom: v.symptom ?? entry.symptom, causes: v.causes ?? entry.causes, fix: v.fix ?? entry.fix, variant: v.label };
}
