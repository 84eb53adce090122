// Wraps the probes so that every network call takes a slot of --concurrency: 5,000 nodes
// never open 5,000 sockets at once, whatever the check does.
import type { EtcdEndpointProbe, EtcdProbeFactory, KubeProbe, Probes } from '../probes/types.js';

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

export function limitProbes(probes: Probes, limit: Limit, trace?: ProbeTrace): Probes {
  const run = runner(limit, trace);
  const kube: KubeProbe | null = probes.kube && {
    server: probes.kube.server,
    // The path without its query: a continue token is long and says nothing about timing.
    get: (path, o) => run(`GET ${o.server ?? 'api'} ${path.split('?')[0]}`, () => probes.kube!.get(path, o)),
    useServer: (url) => probes.kube!.useServer?.(url),
  };
  return {
    tcp: (h, p, d) => run(`tcp ${h}:${p}`, () => probes.tcp(h, p, d)),
    tls: (h, p, o) => run(`tls ${h}:${p}`, () => probes.tls(h, p, o)),
    kube,
    etcd: probes.etcd && limitEtcd(probes.etcd, run),
    files: probes.files,
  };
}
