// The process's open-file limit, which bounds the sockets k8sdoc may hold at once: past it,
// every connect fails with EMFILE and reads as a dead host. Read from /proc/self/limits (the
// soft limit, the one that applies); elsewhere, or when it says unlimited, there is no cap.
import { readFileSync } from 'node:fs';

/** The soft "Max open files" limit, or null when it is unlimited or cannot be read. */
export function openFileSoftLimit(read: () => string = () => readFileSync('/proc/self/limits', 'utf8')): number | null {
  let text: string;
  try {
    text = read();
  } catch {
    return null;
  }
  const line = text.split('\n').find((l) => l.startsWith('Max open files'));
  const soft = line?.slice('Max open files'.length).trim().split(/\s+/)[0];
  if (soft === undefined || !/^\d+$/.test(soft)) return null;
  return Number(soft);
}

/**
 * File descriptors left to the process itself: stdio, the event loop, files read, the
 * kubeconfig's exec plugin pipes.
 */
const RESERVED_FDS = 32;

/**
 * --concurrency capped so that the probes' sockets fit under the open-file limit. Each probe
 * in flight holds a socket, and an HTTP keep-alive pool may hold one more per API server, so
 * half of what is left after the reserve: `ulimit -n 64` gives 16.
 */
export function capByOpenFiles(concurrency: number, softLimit: number | null = openFileSoftLimit()): number {
  if (softLimit === null) return concurrency;
  return Math.max(1, Math.min(concurrency, Math.floor((softLimit - RESERVED_FDS) / 2)));
}
