// A fake API server for unit tests of the API server checks: routes, health bodies, metrics.
import type { Endpoint } from '../../src/discovery/targets.js';
import type { KubeOutcome, KubeProbe, KubeRequestOptions, TlsInspection } from '../../src/probes/types.js';

export const LB: Endpoint = { url: 'https://10.0.0.10:6443', host: '10.0.0.10', port: 6443, source: 'kubeconfig' };
export const CP = (i: number): Endpoint => ({ url: `https://10.0.0.1${i}:6443`, host: `10.0.0.1${i}`, port: 6443, source: `node cp-${i}` });

export function ok(body: string, ms = 2): KubeOutcome {
  return { kind: 'ok', status: 200, headers: {}, body, ms, truncated: false };
}

export type Route = (path: string, server: string) => KubeOutcome | undefined;

export function fakeKube(route: Route): KubeProbe & { asked: string[] } {
  const asked: string[] = [];
  return {
    server: LB.url,
    asked,
    async get(path: string, o: KubeRequestOptions) {
      const server = o.server ?? LB.url;
      asked.push(`${server}${path}`);
      return route(path, server) ?? { kind: 'http', status: 404, message: `HTTP 404 ${path}`, ms: 1 };
    },
  };
}

export const VERSION = JSON.stringify({ gitVersion: 'v1.32.0' });
export const READYZ_ETCD_FAILED =
  '[+]ping ok\n[+]log ok\n[-]etcd failed: reason withheld\n[-]etcd-readiness failed: reason withheld\n[+]informer-sync ok\n[+]shutdown ok\nreadyz check failed\n';
export const LIVEZ_OK = '[+]ping ok\n[+]log ok\n[+]etcd ok\nlivez check passed\n';
export const READYZ_OK = '[+]ping ok\n[+]log ok\n[+]etcd ok\n[+]etcd-readiness ok\n[+]informer-sync ok\n[+]shutdown ok\nreadyz check passed\n';

export const reachableProbes = (refusing: string[] = []) => ({
  tcp: async (host: string) =>
    refusing.includes(host) ? { kind: 'refused' as const, message: `tcp ${host}:6443: connection refused`, ms: 0 } : { kind: 'ok' as const, ms: 1 },
  tls: async (): Promise<TlsInspection> => ({ kind: 'ok', ms: 2, chain: [], verifyError: null }),
});

export function metricsWithP99(seconds: number): string {
  const bounds = [0.05, 0.1, 0.5, 1, 2, 5];
  const lines = bounds.map(
    (le) => `apiserver_request_duration_seconds_bucket{verb="LIST",resource="nodes",le="${le}"} ${(le >= 0.05 ? 95 : 0) + (le >= seconds ? 5 : 0)}`,
  );
  lines.push('apiserver_request_duration_seconds_bucket{verb="LIST",resource="nodes",le="+Inf"} 100');
  lines.push('apiserver_request_duration_seconds_bucket{verb="WATCH",resource="pods",le="+Inf"} 9999');
  return lines.join('\n') + '\n';
}
