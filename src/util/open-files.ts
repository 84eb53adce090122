// How many sockets this process may hold at once. Each probe in flight holds one socket (a
// TLS probe of etcd or an API server may hold two while it is being set up), and Node.js
// itself keeps some twenty descriptors open, plus kept-alive connections and files read. A
// --concurrency the open-file limit cannot carry ends in EMFILE, which is about this
// machine, never the cluster; so the concurrency is capped by the limit up front.
//
// Node.js has no getrlimit: on Linux the soft limit is in /proc/self/limits; elsewhere, or
// when that file cannot be read, there is no cap.
import { readFileSync } from 'node:fs';

/** Descriptors kept aside for Node.js itself, kept-alive connections and files. */
const RESERVED = 32;
/** Descriptors one probe in flight may need. */
const PER_PROBE = 2;

/** The soft `Max open files` limit from /proc/self/limits text; null when unlimited or unknown. */
export function parseOpenFileLimit(limits: string): number | null {
  const line = limits.split('\n').find((l) => l.startsWith('Max open files'));
  const soft = line ? /^Max open files\s+(\S+)/.exec(line)?.[1] : undefined;
  if (soft === undefined || soft === 'unlimited') return null;
  const n = Number(soft);
  return Number.isInteger(n) && n > 0 ? n : null;
}

export function openFileLimit(): number | null {
  try {
    return parseOpenFileLimit(readFileSync('/proc/self/limits', 'utf8'));
  } catch {
    return null;
  }
}

/** The concurrency the limit carries: at most `wanted`, at least 1. */
export function concurrencyFor(wanted: number, limit: number | null): number {
  if (limit === null) return wanted;
  return Math.max(1, Math.min(wanted, Math.floor((limit - RESERVED) / PER_PROBE)));
}

export function capByOpenFiles(wanted: number): number {
  return concurrencyFor(wanted, openFileLimit());
}
