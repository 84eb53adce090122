// A second scrape of each etcd member's /metrics, a few seconds after the one the etcd view
// made: counters and histograms only say what happens now as the difference between two
// scrapes. Taken only for members whose first scrape worked, once per run, and bounded like
// every probe: the wait is at most --timeout (and at most five seconds), the scrape too.
import type { EtcdOutcome } from '../probes/types.js';
import { etcdView } from './etcd-view.js';
import { deadline, type ObserveScope } from './scope.js';

/** The rate window aimed at: long enough for a busy member's histograms to move. */
export const METRICS_WINDOW_MS = 5_000;
const MIN_WINDOW_MS = 1_000;

export interface MetricsPair {
  endpoint: string;
  first: string;
  second: EtcdOutcome<string>;
  /** Milliseconds between the two answers (the rate window), measured. */
  windowMs: number;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (ms <= 0 || signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Null without credentials; an empty list when no member's first scrape worked. */
export function etcdMetricsAgain(scope: ObserveScope): Promise<MetricsPair[] | null> {
  return scope.memo.once('etcd:metrics-again', async () => {
    const view = await etcdView(scope);
    if (view === null || !scope.probes.etcd) return null;
    const factory = scope.probes.etcd;
    const window = Math.max(MIN_WINDOW_MS, Math.min(METRICS_WINDOW_MS, scope.options.timeoutMs));
    const firsts = view.answers.filter((a) => a.metrics?.kind === 'ok' && a.metricsAt !== undefined);
    return Promise.all(
      firsts.map(async (a) => {
        await sleep(a.metricsAt! + window - performance.now(), scope.signal);
        const second = await factory.forEndpoint(a.endpoint).metrics(deadline(scope));
        const at = performance.now();
        return { endpoint: a.endpoint, first: (a.metrics as { kind: 'ok'; value: string }).value, second, windowMs: Math.round(at - a.metricsAt!) };
      }),
    );
  });
}
