// What the observation functions work with: the raw (but limited and bounded) probes, the
// run's targets and options, and the run's memo. Private to src/observe: checks, discovery
// and plugins see only the Facts built over it (facts.ts).
import type { Targets } from '../discovery/targets.js';
import type { CheckOptions } from '../options.js';
import type { Probes, ProbeDeadline } from '../probes/types.js';

/** Memo for one run: the first caller computes, everyone else awaits the same promise. */
export interface Memo {
  once<T>(key: string, compute: () => Promise<T>): Promise<T>;
}

export function createMemo(): Memo {
  const entries = new Map<string, Promise<unknown>>();
  return {
    once<T>(key: string, compute: () => Promise<T>): Promise<T> {
      let p = entries.get(key) as Promise<T> | undefined;
      if (!p) {
        p = compute();
        entries.set(key, p);
      }
      return p;
    },
  };
}

export interface ObserveScope {
  targets: Targets;
  probes: Probes;
  options: CheckOptions;
  signal: AbortSignal;
  memo: Memo;
  log: (message: string) => void;
}

/** Every probe is bounded by --timeout and stops with the run. */
export function deadline(scope: ObserveScope): ProbeDeadline {
  return { timeoutMs: scope.options.timeoutMs, signal: scope.signal };
}
