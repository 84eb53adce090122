// One --concurrency budget shared by several runs (one per cluster with --context a,b,c).
// A plain FIFO limiter would let the cluster that asks first (thousands of probes to
// black-holed kubelets) queue every other cluster behind it; a fixed split would leave slots
// idle while one cluster has finished. Lanes take free slots in turn: while every lane has
// work each gets an equal share, and a lane with nothing to do leaves its share to the rest.
import type { Limiter } from './limit.js';

interface Lane {
  waiting: ((() => void) | undefined)[];
  head: number;
  active: number;
  /** A lane's own ceiling (Limiter.resize), never above the shared one. */
  cap: number;
}

export interface FairLimiter {
  /** A limiter for one run; all lanes together hold at most `max` slots. */
  lane(): Limiter;
  /** Slots in flight over all lanes (for tests). */
  readonly active: number;
}

export function createFairLimiter(max: number): FairLimiter {
  const lanes: Lane[] = [];
  let active = 0;
  // The lane that got the last handed-over slot; the search for the next starts after it.
  let turn = 0;

  const hasWaiter = (l: Lane) => l.head < l.waiting.length && l.active < l.cap;
  const take = (l: Lane): (() => void) => {
    const wake = l.waiting[l.head]!;
    l.waiting[l.head] = undefined;
    l.head += 1;
    // A head index instead of Array.shift, which is quadratic over long queues.
    if (l.head === l.waiting.length) {
      l.waiting.length = 0;
      l.head = 0;
    }
    return wake;
  };

  /** Starts waiters, lane after lane, while slots are free. */
  const dispatch = () => {
    while (active < max) {
      let next: Lane | undefined;
      for (let i = 1; i <= lanes.length; i++) {
        const candidate = lanes[(turn + i) % lanes.length]!;
        if (hasWaiter(candidate)) {
          next = candidate;
          turn = (turn + i) % lanes.length;
          break;
        }
      }
      if (!next) return;
      active += 1;
      next.active += 1;
      take(next)();
    }
  };

  return {
    get active() {
      return active;
    },
    lane(): Limiter {
      const l: Lane = { waiting: [], head: 0, active: 0, cap: max };
      lanes.push(l);
      const limit = async <T>(fn: () => Promise<T>): Promise<T> => {
        if (active < max && l.active < l.cap && !lanes.some(hasWaiter)) {
          active += 1;
          l.active += 1;
        } else {
          await new Promise<void>((resolve) => {
            l.waiting.push(resolve);
            dispatch();
          });
        }
        try {
          return await fn();
        } finally {
          active -= 1;
          l.active -= 1;
          dispatch();
        }
      };
      return Object.assign(limit, {
        resize(n: number) {
          l.cap = Math.min(n, max);
          dispatch();
        },
      });
    },
  };
}
