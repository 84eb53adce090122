/** A counting semaphore: at most `max` functions in flight, the rest queue in order. */
export function createLimiter(max: number): <T>(fn: () => Promise<T>) => Promise<T> {
  let active = 0;
  // A head index instead of Array.shift: 20,000 queued probes made shift() quadratic.
  const queue: ((() => void) | undefined)[] = [];
  let head = 0;
  const release = () => {
    if (head === queue.length) {
      active -= 1;
      return;
    }
    // Hand the slot straight to the next waiter, so a newcomer cannot slip in between.
    const wake = queue[head]!;
    queue[head] = undefined;
    head += 1;
    if (head === queue.length) {
      queue.length = 0;
      head = 0;
    }
    wake();
  };
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    if (active < max) active += 1;
    else await new Promise<void>((resolve) => queue.push(resolve));
    try {
      return await fn();
    } finally {
      release();
    }
  };
}
