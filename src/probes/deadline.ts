// One deadline for a whole probe (connect, handshake, body): a server that drips one byte a
// second is bounded by --timeout as a whole, not per byte.
import { ProbeTimeoutError } from './errors.js';
import type { ProbeDeadline } from './types.js';

export interface Deadline {
  /** Rejects once the time is up or the run is aborted. */
  expired: Promise<never>;
  /** Calls `onExpire` when the deadline passes (to destroy sockets). */
  onExpire(fn: (err: Error) => void): void;
  clear(): void;
}

export function startDeadline({ timeoutMs, signal }: ProbeDeadline, what: string): Deadline {
  const listeners: ((err: Error) => void)[] = [];
  let rejectExpired!: (err: Error) => void;
  const expired = new Promise<never>((_, reject) => {
    rejectExpired = reject;
  });
  expired.catch(() => undefined);
  let fired = false;
  const fire = (err: Error) => {
    if (fired) return;
    fired = true;
    rejectExpired(err);
    for (const fn of listeners) fn(err);
  };
  // Wait one turn of the event loop before calling it a timeout: after a long pause (GC with
  // thousands of sockets) a refusal that already arrived must win over the late timer.
  const timer = setTimeout(() => setImmediate(() => fire(new ProbeTimeoutError(timeoutMs, what))), timeoutMs);
  const onAbort = () => fire(Object.assign(new Error(`${what}: aborted`), { name: 'AbortError' }));
  if (signal?.aborted) onAbort();
  else signal?.addEventListener('abort', onAbort, { once: true });
  return {
    expired,
    onExpire(fn) {
      listeners.push(fn);
    },
    clear() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    },
  };
}
