// apiserver-health, apiserver-latency and control-plane-ha judged from fake probes.
import { describe, expect, it } from 'vitest';
import { apiserverHealth } from '../../src/checks/apiserver-health.js';
import { apiserverLatency } from '../../src/checks/apiserver-latency.js';
import { controlPlaneHa } from '../../src/checks/control-plane-ha.js';
import type { Endpoint } from '../../src/discovery/targets.js';
import type { KubeOutcome, KubeProbe, KubeRequestOptions, TlsInspection } from '../../src/probes/types.js';
import { fakeContext } from '../helpers/fake-context.js';

const LB: Endpoint = { url: 'https://10.0.0.10:6443', host: '10.0.0.10', port: 6443, source: 'kubeconfig' };
const CP = (i: number): Endpoint => ({ url: `https://10.0.0.1${i}:6443`, host: `10.0.0.1${i}`, port: 6443, source: `node cp-${i}` });

function ok(body: string, ms = 2): KubeOutcome {
  return { kind: 'ok', status: 200, headers: {}, body, ms, truncated: false };
}

type Route = (path: string, server: string) => KubeOutcome | undefined;

function fakeKube(route: Route): KubeProbe & { asked: string[] } {
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

const VERSION = JSON.stringify({ gitVersion: 'v1.32.0' });
const READYZ_ETCD_FAILED =
  '[+]ping ok\n[+]log ok\n[-]etcd failed: reason withheld\n[-]etcd-readiness failed: reason withheld\n[+]informer-sync ok\n[+]shutdown ok\nreadyz check failed\n';
const LIVEZ_OK = '[+]ping ok\n[+]log ok\n[+]etcd ok\nlivez check passed\n';
const READYZ_OK = '[+]ping ok\n[+]log ok\n[+]etcd ok\n[+]etcd-readiness ok\n[+]informer-sync ok\n[+]shutdown ok\nreadyz check passed\n';

const reachableProbes = (refusing: string[] = []) => ({
  tcp: async (host: string) =>
    refusing.includes(host) ? { kind: 'refused' as const, message: `tcp ${host}:6443: connection refused`, ms: 0 } : { kind: 'ok' as const, ms: 1 },
  tls: async (): Promise<TlsInspection> => ({ kind: 'ok', ms: 2, chain: [], verifyError: null }),
});

function metricsWithP99(seconds: number): string {
  const bounds = [0.05, 0.1, 0.5, 1, 2, 5];
  const lines = bounds.map(
    (le) => `apiserver_request_duration_seconds_bucket{verb="LIST",resource="nodes",le="${le}"} ${(le >= 0.05 ? 95 : 0) + (le >= seconds ? 5 : 0)}`,
  );
  lines.push('apiserver_request_duration_seconds_bucket{verb="LIST",resource="nodes",le="+Inf"} 100');
  lines.push('apiserver_request_duration_seconds_bucket{verb="WATCH",resource="pods",le="+Inf"} 9999');
  return lines.join('\n') + '\n';
}

describe('apiserver-health', () => {
  it('names the failing readyz checks per endpoint and says what a failing etcd check means', async () => {
    const kube = fakeKube((path, server) => {
      if (path === '/version') return ok(VERSION);
      if (path === '/livez?verbose') return ok(LIVEZ_OK);
      if (path === '/readyz?verbose')
        return server === CP(2).url ? { kind: 'http', status: 500, message: 'HTTP 500', body: READYZ_ETCD_FAILED, ms: 3 } : ok(READYZ_OK);
      return undefined;
    });
    const ctx = fakeContext({
      probes: { kube, ...reachableProbes() },
      targets: { kubeServer: LB, apiServers: [CP(1), CP(2)], hosts: [{ address: '10.0.0.12', name: 'cp-2', controlPlane: true }] },
    });
    const findings = await apiserverHealth.run(ctx);
    expect(findings.map((f) => [f.subject, f.status, f.code])).toEqual([
      ['apiserver https://10.0.0.10:6443 (kubeconfig)', 'ok', undefined],
      ['apiserver https://10.0.0.11:6443', 'ok', undefined],
      ['apiserver https://10.0.0.12:6443', 'crit', 'apiserver-not-ready'],
    ]);
    expect(findings[2]!.message).toMatch(/^not ready: \[-\]etcd, \[-\]etcd-readiness failed: the API server cannot reach etcd \(/);
    expect(findings[2]!.data).toMatchObject({ node: 'cp-2', host: '10.0.0.12', readyzFailing: ['etcd', 'etcd-readiness'], livezFailing: [] });
    expect(findings[0]!.message).toBe('live and ready (6 readyz checks pass)');
  });

  it('a 403 on /readyz is its own finding (health unknown), not "down"', async () => {
    const kube = fakeKube((path) => {
      if (path === '/version') return ok(VERSION);
      if (path.startsWith('/readyz') || path.startsWith('/livez')) return { kind: 'forbidden', status: 403, message: 'HTTP 403 Forbidden', ms: 1 };
      return undefined;
    });
    const [f] = await apiserverHealth.run(fakeContext({ probes: { kube, ...reachableProbes() }, targets: { kubeServer: LB } }));
    expect(f).toMatchObject({ status: 'warn', code: 'apiserver-forbidden', data: { httpStatus: 403 } });
    expect(f!.message).toContain('may not read /readyz (HTTP 403), so its health is unknown');
  });

  it('skips an endpoint that apiserver-reachable already reports down, without asking it again', async () => {
    const kube = fakeKube((path) => (path === '/version' ? ok(VERSION) : path.includes('z?verbose') ? ok(READYZ_OK) : undefined));
    const findings = await apiserverHealth.run(
      fakeContext({ probes: { kube, ...reachableProbes(['10.0.0.13']) }, targets: { kubeServer: LB, apiServers: [CP(3)] } }),
    );
    expect(findings[1]).toMatchObject({ status: 'skip', subject: 'apiserver https://10.0.0.13:6443' });
    expect(findings[1]!.message).toContain('apiserver-refused');
    expect(kube.asked.filter((a) => a.startsWith(CP(3).url))).toEqual([]);
  });
});

describe('apiserver-health prewarm', () => {
  it('asks /livez and /readyz of an endpoint that answers /version before the check runs, once, and nothing of one that refuses', async () => {
    const kube = fakeKube((path) => (path === '/version' ? ok(VERSION) : path.includes('z?verbose') ? ok(READYZ_OK) : undefined));
    const ctx = fakeContext({ probes: { kube, ...reachableProbes(['10.0.0.13']) }, targets: { kubeServer: LB, apiServers: [CP(1), CP(3)] } });
    apiserverHealth.prewarm!(ctx);
    await new Promise((r) => setImmediate(r));
    expect(kube.asked.filter((a) => a.includes('z?verbose')).sort()).toEqual([
      `${LB.url}/livez?verbose`,
      `${LB.url}/readyz?verbose`,
      `${CP(1).url}/livez?verbose`,
      `${CP(1).url}/readyz?verbose`,
    ]);
    const findings = await apiserverHealth.run(ctx);
    expect(findings.map((f) => f.status)).toEqual(['ok', 'ok', 'skip']);
    expect(kube.asked.filter((a) => a.includes('z?verbose'))).toHaveLength(4);
  });
});

describe('early probes that fail', () => {
  it('a health request that rejects is not an unhandled rejection (that would end the process)', async () => {
    const kube: KubeProbe = {
      server: LB.url,
      get: async (path) => {
        if (path === '/version') return ok(VERSION);
        throw new Error('socket exploded');
      },
    };
    const ctx = fakeContext({ probes: { kube, ...reachableProbes() }, targets: { kubeServer: LB } });
    apiserverHealth.prewarm!(ctx);
    // Vitest fails the run on an unhandled rejection: give it the turns to surface.
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    const [f] = await apiserverHealth.run(ctx).catch((e: Error) => [{ status: 'error', message: e.message }]);
    expect(f).toMatchObject({ message: 'socket exploded' });
  });
});

describe('apiserver-latency', () => {
  const latencyKube = (p99Seconds: number | 'forbidden', versionMs = 4) =>
    fakeKube((path) => {
      if (path === '/version') return ok(VERSION, versionMs);
      if (path === '/metrics')
        return p99Seconds === 'forbidden' ? { kind: 'forbidden', status: 403, message: 'HTTP 403', ms: 1 } : ok(metricsWithP99(p99Seconds));
      return undefined;
    });

  it('reports median and max round trip and the p99 from the histogram, ok under the threshold', async () => {
    const kube = latencyKube(0.08);
    const [f] = await apiserverLatency.run(fakeContext({ probes: { kube, ...reachableProbes() }, targets: { kubeServer: LB } }));
    expect(f).toMatchObject({ status: 'ok', data: { samples: 5, medianMs: 4, maxMs: 4, thresholdMs: 1000, p99Observations: 100 } });
    // One for reachability, then the five timed samples.
    expect(kube.asked.filter((a) => a.endsWith('/version'))).toHaveLength(6);
    expect(f!.message).toMatch(/^round trip median 4 ms, max 4 ms over 5 requests; p99 of GET\/LIST since start \d+ ms$/);
  });

  it('raises apiserver-latency-high when the p99 exceeds --latency-warn', async () => {
    const [f] = await apiserverLatency.run(
      fakeContext({ probes: { kube: latencyKube(2), ...reachableProbes() }, targets: { kubeServer: LB }, options: { latencyWarnMs: 1000 } }),
    );
    // Rank 99 of 100 lies in (1 s, 2 s], which holds the slowest 5: 1 + 1 × 4/5, as PromQL computes it.
    expect(f).toMatchObject({ status: 'warn', code: 'apiserver-latency-high', data: { p99Ms: 1800 } });
    expect(f!.message).toMatch(/^the server's p99 for GET\/LIST is 1\.80 s, above --latency-warn 1\.00 s/);
  });

  it('judges the round trip alone when /metrics is forbidden, and says why the p99 is missing', async () => {
    const [f] = await apiserverLatency.run(
      fakeContext({ probes: { kube: latencyKube('forbidden', 300), ...reachableProbes() }, targets: { kubeServer: LB }, options: { latencyWarnMs: 200 } }),
    );
    expect(f).toMatchObject({
      status: 'warn',
      code: 'apiserver-latency-high',
      data: { medianMs: 300, p99Ms: null, p99Unknown: 'p99 not read: needs get on the non-resource URL /metrics' },
    });
  });
});

describe('control-plane-ha', () => {
  const nodesBody = (cps: number) =>
    JSON.stringify({
      items: Array.from({ length: cps + 2 }, (_, i) => ({
        metadata: { name: i < cps ? `cp-${i + 1}` : `w${i}`, labels: i < cps ? { 'node-role.kubernetes.io/control-plane': '' } : {} },
        status: { addresses: [{ type: 'InternalIP', address: i < cps ? `10.0.0.1${i + 1}` : `10.0.0.2${i}` }], conditions: [] },
      })),
      metadata: {},
    });
  const run = (cps: number, kubeServer: Endpoint) =>
    controlPlaneHa.run(
      fakeContext({ probes: { kube: fakeKube((p) => (p.startsWith('/api/v1/nodes') ? ok(nodesBody(cps)) : undefined)) }, targets: { kubeServer } }),
    );

  it('three masters behind a load balancer are fine', async () => {
    expect(await run(3, LB)).toEqual([
      expect.objectContaining({ status: 'ok', message: '3 control-plane nodes (cp-1, cp-2, cp-3), reached through https://10.0.0.10:6443' }),
    ]);
  });

  it('a single master that the kubeconfig points at directly: both problems, one warning', async () => {
    const [f] = await run(1, CP(1));
    expect(f).toMatchObject({ status: 'warn', code: 'control-plane-not-ha', data: { controlPlaneNodes: 1, kubeconfigPointsAtNode: 'cp-1' } });
    expect(f!.message).toBe(
      '1 control-plane node: losing it stops the cluster; run 3 for etcd quorum; the kubeconfig points at cp-1 (https://10.0.0.11:6443) directly, not at a load balancer: when cp-1 fails, kubectl and everything using this kubeconfig fail too',
    );
  });

  it('an even number of masters is no more tolerant than one fewer', async () => {
    const [f] = await run(4, LB);
    expect(f).toMatchObject({ status: 'warn', code: 'control-plane-not-ha' });
    expect(f!.message).toBe('4 control-plane nodes: an even number tolerates no more failures than 3; run 3 or 5');
  });
});
