// Ages as kubectl prints them (12m, 3h5m, 2d4h): how long ago a node changed state or a
// lease was last renewed.
import type { NodeLease } from '../observe/leases.js';

export function formatAge(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return seconds % 60 === 0 || minutes >= 10 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  const days = Math.floor(hours / 24);
  return hours % 24 === 0 || days >= 8 ? `${days}d` : `${days}d${hours % 24}h`;
}

/** Milliseconds from an RFC 3339 time to `now`; null when the time is missing or garbled. */
export function ageOf(time: string | undefined, now: Date): number | null {
  if (!time) return null;
  const t = new Date(time).getTime();
  return Number.isNaN(t) ? null : now.getTime() - t;
}

/** A lease not renewed within its duration: the node controller is about to (or did) mark the node NotReady. */
export function leaseIsStale(lease: NodeLease, now: Date): boolean {
  return lease.renewTime === null || now.getTime() - lease.renewTime.getTime() > lease.durationSeconds * 1000;
}
