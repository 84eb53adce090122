// Wraps the probes so that every network call takes a slot of --concurrency: 5,000 nodes
// never open 5,000 sockets at once, whatever the check does.
import type { EtcdEndpointProbe, EtcdProbeFactory, KubeOutcome, KubeProbe, Probes } from '../probes/types.js';

type Limit = <T>(fn: () => Promise<T>) => Promise<T>;
/** One `(probe, work)` pair through the limiter; the probe's name is for the --debug timeline. */
type Run = <T>(what: string, fn: () => Promise<T>) => Promise<T>;

/**
 * The --debug timeline: when each probe was asked for, how long it waited for a slot, how long
 * it took and how it ended, so a slow run shows which target cost the time.
 */
export type ProbeTrace = (event: { what: string; askedAt: number; waitedMs: number; ms: number; outcome: string }) => void;

function outcomeOf(result: unknown): string {
  const kind = result && typeof result === 'object' && 'kind' in result ? (result as { kind: unknown }).kind : undefined;
  return typeof kind === 'string' ? kind : 'done';
}

function runner(limit: Limit, trace: ProbeTrace | undefined): Run {
  if (!trace) return (_what, fn) => limit(fn);
  return (what, fn) => {
    const askedAt = performance.now();
    return limit(async () => {
      const began = performance.now();
      const report = (outcome: string) => trace({ what, askedAt, waitedMs: began - askedAt, ms: performance.now() - began, outcome });
      try {
        const result = await fn();
        report(outcomeOf(result));
        return result;
      } catch (e) {
        report('threw');
        throw e;
      }
    });
  };
}

function limitEtcd(factory: EtcdProbeFactory, run: Run): EtcdProbeFactory {
  return {
    forEndpoint(endpoint) {
      const p = factory.forEndpoint(endpoint);
      const wrapped: EtcdEndpointProbe = {
        endpoint: p.endpoint,
        status: (d) => run(`etcd status ${endpoint}`, () => p.status(d)),
        memberList: (d) => run(`etcd member list ${endpoint}`, () => p.memberList(d)),
        alarms: (d) => run(`etcd alarms ${endpoint}`, () => p.alarms(d)),
        health: (d) => run(`etcd health ${endpoint}`, () => p.health(d)),
        metrics: (d) => run(`etcd metrics ${endpoint}`, () => p.metrics(d)),
      };
      return wrapped;
    },
    close: () => factory.close(),
  };
}

/**
 * API servers that timed out in this run, by URL, with the answer they gave: shared by every
 * wrapper of the same probe (the early lane's and the checks'), so that a hung API server
 * costs the run one --timeout. A server that did not answer within --timeout once will not
 * answer the next question either; asking again only adds another --timeout to the run.
 * Unless it has already answered a read of the cluster's objects in this run: then it is
 * serving, and the request that timed out was one slow list (all pods of 5,000 nodes), which
 * must not cost the run every later question to it, such as the leases the kubelet plan is
 * made from. /version and the health paths do not count: with etcd's quorum lost an API
 * server still answers them and hangs every read.
 */
const hungServers = new WeakMap<KubeProbe, { inUse: string | null; hung: Map<string, KubeOutcome>; serving: Set<string> }>();

/** Paths an API server answers without reading etcd. */
const WITHOUT_ETCD = /^\/(version|livez|readyz|healthz|metrics)(\/|\?|$)/;

function rememberHung(raw: KubeProbe, run: Run): KubeProbe {
  let state = hungServers.get(raw);
  if (!state) hungServers.set(raw, (state = { inUse: raw.server, hung: new Map(), serving: new Set() }));
  const s = state;
  return {
    server: raw.server,
    get: async (path, o) => {
      const url = o.server ?? s.inUse ?? '';
      const earlier = s.hung.get(url);
      if (earlier && earlier.kind !== 'ok') {
        return { ...earlier, ms: 0, message: `${earlier.message} (timed out earlier in this run: not asked again)` };
      }
      // The path without its query: a continue token is long and says nothing about timing.
      const outcome = await run(`GET ${o.server ?? 'api'} ${path.split('?')[0]}`, () => raw.get(path, o));
      if (outcome.kind === 'ok' && !WITHOUT_ETCD.test(path)) s.serving.add(url);
      else if (outcome.kind === 'timeout' && !o.signal?.aborted && !s.hung.has(url) && !s.serving.has(url)) s.hung.set(url, outcome);
      return outcome;
    },
    useServer: (url) => {
      s.inUse = url;
      raw.useServer?.(url);
    },
  };
}

/**
 * Priority lanes: probes of the control plane's own endpoints take the shared slots directly;
 * every other socket probe (kubelets, ports on every host) first takes a slot of `fanout`,
 * which holds fewer than the shared limit, so the control plane never queues behind them.
 */
export interface Lanes {
  /** Shared by every wrapper of one run's probes (the early lane's and the checks'). */
  fanout: Limit;
  /** Whether host:port is an API server or etcd endpoint of the run. */
  priority(host: string, port: number): boolean;
}

export function limitProbes(probes: Probes, limit: Limit, trace?: ProbeTrace, lanes?: Lanes): Probes {
  const run = runner(limit, trace);
  const fanout = lanes ? runner((fn) => lanes.fanout(() => limit(fn)), trace) : run;
  const socket = (host: string, port: number): Run => (lanes && !lanes.priority(host, port) ? fanout : run);
  const kube: KubeProbe | null = probes.kube && rememberHung(probes.kube, run);
  return {
    tcp: (h, p, d) => socket(h, p)(`tcp ${h}:${p}`, () => probes.tcp(h, p, d)),
    tls: (h, p, o) => socket(h, p)(`tls ${h}:${p}`, () => probes.tls(h, p, o)),
    kube,
    etcd: probes.etcd && limitEtcd(probes.etcd, run),
    files: probes.files,
  };
}
