// Wraps the probes so that every network call takes a slot of --concurrency: 5,000 nodes
// never open 5,000 sockets at once, whatever the check does.
import type { EtcdEndpointProbe, EtcdProbeFactory, KubeProbe, Probes } from '../probes/types.js';

type Limit = <T>(fn: () => Promise<T>) => Promise<T>;

function limitEtcd(factory: EtcdProbeFactory, limit: Limit): EtcdProbeFactory {
  return {
    forEndpoint(endpoint) {
      const p = factory.forEndpoint(endpoint);
      const wrapped: EtcdEndpointProbe = {
        endpoint: p.endpoint,
        status: (d) => limit(() => p.status(d)),
        memberList: (d) => limit(() => p.memberList(d)),
        alarms: (d) => limit(() => p.alarms(d)),
        health: (d) => limit(() => p.health(d)),
        metrics: (d) => limit(() => p.metrics(d)),
      };
      return wrapped;
    },
    close: () => factory.close(),
  };
}

export function limitProbes(probes: Probes, limit: Limit): Probes {
  const kube: KubeProbe | null = probes.kube && {
    server: probes.kube.server,
    get: (path, o) => limit(() => probes.kube!.get(path, o)),
    useServer: (url) => probes.kube!.useServer?.(url),
  };
  return {
    tcp: (h, p, d) => limit(() => probes.tcp(h, p, d)),
    tls: (h, p, o) => limit(() => probes.tls(h, p, o)),
    kube,
    etcd: probes.etcd && limitEtcd(probes.etcd, limit),
    files: probes.files,
  };
}
