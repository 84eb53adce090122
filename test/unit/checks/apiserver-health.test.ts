// apiserver-health judged from fake answers through the facts.
import { describe, expect, it } from 'vitest';
import { apiserverHealth } from '../../../src/checks/apiserver-health.js';
import { fakeContext } from '../../helpers/fake-context.js';
import type { KubeProbe } from '../../../src/probes/types.js';
import { LB, CP, ok, fakeKube, VERSION, READYZ_ETCD_FAILED, LIVEZ_OK, READYZ_OK, reachableProbes } from '../../helpers/fake-api.js';

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
    expect(findings[2]!.message).toMatch(/^not ready, as the API server sees it: \[-\]etcd, \[-\]etcd-readiness failed: the API server cannot reach etcd \(/);
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
