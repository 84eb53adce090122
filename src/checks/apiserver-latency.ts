// API server request latency, per endpoint: the round trip of a few cheap
// authenticated requests as we see it (median and max), and where /metrics is readable the
// p99 of apiserver_request_duration_seconds for GET and LIST as the server sees it (since it
// started). Above --latency-warn (default 1 s, the upstream SLO for the p99) is a warning.
import { raise } from '../catalogue/raise.js';
import type { Endpoint } from '../discovery/targets.js';
import type { Check, CheckContext, Finding } from '../engine/types.js';
import { apiEndpoints, apiSubject, endpointAbout, endpointData, judgeApiEndpoint } from '../judge/api-endpoint.js';
import { histogramBuckets, histogramCount, histogramQuantile } from '../judge/histogram.js';

/** Requests per endpoint: enough for a median that one slow handshake does not move. */
export const LATENCY_SAMPLES = 5;
const DURATION_METRIC = 'apiserver_request_duration_seconds';
// WATCH and CONNECT are long-running by design; the SLO covers reads and writes that return.
const READ_VERBS = new Set(['GET', 'LIST']);

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

type P99 = { kind: 'ok'; seconds: number; observations: number } | { kind: 'unknown'; why: string };

async function serverP99(ctx: CheckContext, e: Endpoint): Promise<P99> {
  const outcome = await ctx.facts.api.get('/metrics', { server: e.url });
  if (outcome.kind === 'forbidden') return { kind: 'unknown', why: 'p99 not read: needs get on the non-resource URL /metrics' };
  if (outcome.kind !== 'ok') return { kind: 'unknown', why: `p99 not read: ${outcome.message}` };
  const buckets = histogramBuckets(outcome.body, DURATION_METRIC, (l) => READ_VERBS.has(l['verb'] ?? ''));
  const p99 = histogramQuantile(0.99, buckets);
  if (p99 === null) return { kind: 'unknown', why: `p99 not read: /metrics has no ${DURATION_METRIC} observations for GET/LIST` };
  return { kind: 'ok', seconds: p99, observations: histogramCount(buckets) };
}

function ms(value: number): string {
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${Math.round(value)} ms`;
}

async function measure(ctx: CheckContext, e: Endpoint): Promise<Finding> {
  const reach = judgeApiEndpoint(ctx, e, await ctx.facts.api.endpoint(e));
  if (reach.status === 'crit') {
    return {
      status: 'skip',
      subject: apiSubject(e),
      about: endpointAbout(ctx, e),
      message: `latency not measured: unreachable (${reach.code}, see apiserver-reachable)`,
      data: endpointData(ctx, e),
    };
  }
  // One after the other: a round trip, not how well the server copes with a burst. One request
  // that runs into --timeout is a hiccup (a loaded runner, one lost packet), not a slow server:
  // it is said in the message; a second one is the finding.
  const samples: number[] = [];
  let timeouts = 0;
  for (let i = 0; i < LATENCY_SAMPLES; i++) {
    const outcome = await ctx.facts.api.get('/version', { server: e.url });
    if (outcome.kind === 'timeout' && timeouts === 0) {
      timeouts += 1;
      continue;
    }
    if (outcome.kind !== 'ok') {
      const data = { ...endpointData(ctx, e), samplesMs: samples };
      if (outcome.kind !== 'timeout')
        return { status: 'skip', subject: apiSubject(e), about: endpointAbout(ctx, e), message: `latency not measured: ${outcome.message}`, data };
      return raise({
        subject: apiSubject(e),
        about: endpointAbout(ctx, e),
        code: 'apiserver-latency-high',
        message: `GET /version took longer than --timeout (${ctx.options.timeoutMs} ms) twice, the second time on request ${i + 1} of ${LATENCY_SAMPLES}`,
        data,
        timedOut: [`GET ${e.host}:${e.port}/version`],
      });
    }
    samples.push(outcome.ms);
  }
  const med = median(samples);
  const max = Math.max(...samples);
  const p99 = await serverP99(ctx, e);
  const threshold = ctx.options.latencyWarnMs;
  const p99Ms = p99.kind === 'ok' ? p99.seconds * 1000 : null;
  const data = {
    ...endpointData(ctx, e),
    samples: samples.length,
    medianMs: med,
    maxMs: max,
    p99Ms: p99Ms === null ? null : Math.round(p99Ms),
    ...(p99.kind === 'ok' ? { p99Observations: p99.observations } : { p99Unknown: p99.why }),
    thresholdMs: threshold,
  };
  const roundTrip = `round trip median ${ms(med)}, max ${ms(max)} over ${samples.length} requests${timeouts > 0 ? ` (1 more ran into --timeout)` : ''}`;
  const serverSide = p99.kind === 'ok' ? `p99 of GET/LIST since start ${ms(p99Ms!)}` : p99.why;
  const slow: string[] = [];
  if (p99Ms !== null && p99Ms > threshold) slow.push(`the server's p99 for GET/LIST is ${ms(p99Ms)}`);
  if (med > threshold) slow.push(`the median round trip is ${ms(med)}`);
  if (slow.length > 0) {
    return raise({
      subject: apiSubject(e),
      about: endpointAbout(ctx, e),
      code: 'apiserver-latency-high',
      message: `${slow.join(' and ')}, above --latency-warn ${ms(threshold)} (${roundTrip}; ${serverSide})`,
      data,
    });
  }
  return { status: 'ok', subject: apiSubject(e), about: endpointAbout(ctx, e), message: `${roundTrip}; ${serverSide}`, data };
}

export const apiserverLatency: Check = {
  // Whether each endpoint answers at all, known before discovery ends.
  prewarm(ctx) {
    for (const e of apiEndpoints(ctx)) void ctx.facts.api.speaksHttp(e).catch(() => undefined);
  },
  id: 'apiserver-latency',
  component: 'apiserver',
  title: 'API server request latency per endpoint: round trip (median, max) and the p99 from /metrics',
  needs: [],
  codes: ['apiserver-latency-high'],
  async run(ctx) {
    const endpoints = apiEndpoints(ctx);
    if (endpoints.length === 0) return [{ status: 'skip', subject: 'apiserver', message: 'no API server known: no kubeconfig and no --apiserver given' }];
    if (!ctx.facts.api.configured) return [{ status: 'skip', subject: 'apiserver', message: 'no kubeconfig: latency is measured with authenticated requests' }];
    return Promise.all(endpoints.map((e) => measure(ctx, e)));
  },
};
