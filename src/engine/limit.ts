/** A counting semaphore: at most `max` functions in flight, the rest queue in order. */
export interface Limiter {
  <T>(fn: () => Promise<T>): Promise<T>;
  /** Changes `max`; a larger one starts queued functions at once, a smaller one takes effect as slots free. */
  resize(max: number): void;
}

export function createLimiter(initialMax: number): Limiter {
  let max = initialMax;
  let active = 0;
  // A head index instead of Array.shift: 20,000 queued probes made shift() quadratic.
  const queue: ((() => void) | undefined)[] = [];
  let head = 0;
  const next = (): (() => void) | undefined => {
    if (head === queue.length) return undefined;
    const wake = queue[head];
    queue[head] = undefined;
    head += 1;
    if (head === queue.length) {
      queue.length = 0;
      head = 0;
    }
    return wake;
  };
  const release = () => {
    // Shrunk below what is in flight: the slot goes back instead of to a waiter.
    if (active > max) {
      active -= 1;
      return;
    }
    // Hand the slot straight to the next waiter, so a newcomer cannot slip in between.
    const wake = next();
    if (wake) wake();
    else active -= 1;
  };
  const limit = async <T>(fn: () => Promise<T>): Promise<T> => {
    if (active < max) active += 1;
    else await new Promise<void>((resolve) => queue.push(resolve));
    try {
      return await fn();
    } finally {
      release();
    }
  };
  return Object.assign(limit, {
    resize(n: number) {
      max = n;
      while (active < max) {
        const wake = next();
        if (!wake) break;
        active += 1;
        wake();
      }
    },
  });
}

/**
 * Slots the fan-out probes (kubelets and ports on every host) may hold together, so that the
 * rest of --concurrency stays free for the API server and etcd: their health is the first
 * thing an on-call reader looks at, and thousands of hung kubelets each hold a slot for a
 * whole --timeout. A quarter is kept, at most 8 (a run asks the API and etcd only a handful of
 * questions at once); with --concurrency 1 the one slot is shared, as the user asked.
 */
export function fanoutShare(concurrency: number): number {
  return Math.max(1, concurrency - Math.min(8, Math.floor(concurrency / 4)));
}
