import type { SharedCache } from './types.js';

/** Memo for one run: the first caller computes, everyone else awaits the same promise. */
export function createSharedCache(): SharedCache {
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
