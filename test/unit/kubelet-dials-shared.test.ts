// The kubelet, certs-served and kubelet-certificates checks follow one dial plan and share one
// handshake per kubelet: a kubelet the control plane knows dead (stale lease, Ready Unknown),
// past the sample, is dialled by none of them, and a check whose budget runs out keeps what it
// found and counts what it could not finish, instead of ending in an `error` result.
import { describe, expect, it } from 'vitest';
import { certsServed } from '../../src/checks/certs-served.js';
import { kubelet } from '../../src/checks/kubelet.js';
import { kubeletCertificates } from '../../src/checks/kubelet-certificates.js';
import { runCheck } from '../../src/engine/runner.js';
import type { HostTarget } from '../../src/discovery/targets.js';
import type { KubeOutcome, KubeProbe, TlsInspection } from '../../src/probes/types.js';
import { fakeContext } from '../helpers/fake-context.js';

const NOW = new Date('2026-11-25T10:00:00Z');
const WORKERS = 6;
const names = Array.from({ length: WORKERS }, (_, i) => `w${i}`);
const address = (i: number) => `10.0.0.${20 + i}`;
/** w0-w3 stopped heartbeating seven minutes ago; w4 and w5 renew their lease. */
const stopped = (i: number) => i < 4;

function ok(body: unknown): KubeOutcome {
  return { kind: 'ok', status: 200, headers: { date: NOW.toUTCString() }, body: JSON.stringify(body), ms: 1, truncated: false };
}

function api(): KubeProbe {
  const nodes = names.map((name, i) => ({
    metadata: { name },
    status: {
      addresses: [{ type: 'InternalIP', address: address(i) }],
      conditions: [{ type: 'Ready', status: stopped(i) ? 'Unknown' : 'True', reason: stopped(i) ? 'NodeStatusUnknown' : 'KubeletReady' }],
    },
  }));
  const leases = names.map((name, i) => ({
    metadata: { name },
    spec: { renewTime: new Date(NOW.getTime() - (stopped(i) ? 7 * 60_000 : 5_000)).toISOString(), leaseDurationSeconds: 40 },
  }));
  return {
    server: 'https://10.0.0.10:6443',
    async get(path) {
      if (path === '/version') return ok({ gitVersion: 'v1.32.0' });
      if (path.startsWith('/api/v1/nodes?')) return ok({ items: nodes, metadata: {} });
      if (path.startsWith('/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases')) return ok({ items: leases, metadata: {} });
      if (path.startsWith('/apis/certificates.k8s.io/v1/certificatesigningrequests')) return ok({ items: [], metadata: {} });
      if (path.endsWith('/proxy/healthz')) return { kind: 'forbidden', status: 403, message: 'HTTP 403 Forbidden', ms: 1 };
      return { kind: 'http', status: 404, message: 'HTTP 404', ms: 1 };
    },
  };
}

const HOSTS: HostTarget[] = names.map((name, i) => ({ address: address(i), name, controlPlane: false }));

/**
 * Every kubelet hangs in the handshake, counted by host: until `release`, a dial never ends
 * (a budget runs out first); after it, each times out at once.
 */
function hungKubelets() {
  const dials = new Map<string, number>();
  const pending: (() => void)[] = [];
  let released = false;
  const tls = (host: string) => {
    dials.set(host, (dials.get(host) ?? 0) + 1);
    return new Promise<TlsInspection>((resolve) => {
      const end = () =>
        resolve({
          kind: 'timeout',
          ms: 1000,
          chain: [],
          verifyError: null,
          failure: { kind: 'timeout', message: `tls ${host}:10250 did not answer within 1000 ms` },
        });
      if (released) end();
      else pending.push(end);
    });
  };
  const release = () => {
    released = true;
    pending.splice(0).forEach((end) => end());
  };
  return { dials, tls, release };
}

describe('one kubelet dial plan for kubelet, certs-served and kubelet-certificates', () => {
  it('dials no kubelet the leases call dead past the sample, each other kubelet once for all three checks', async () => {
    const k = hungKubelets();
    // --concurrency 2: a sample of two of the four stopped kubelets is dialled for the story.
    const ctx = fakeContext({
      probes: { kube: api(), tcp: async () => ({ kind: 'ok', ms: 1 }), tls: k.tls },
      targets: { hosts: HOSTS },
      options: { concurrency: 2 },
      now: NOW,
    });
    k.release();
    const [fromKubelet, fromCerts, fromKubeletCerts] = await Promise.all(
      [kubelet, certsServed, kubeletCertificates].map((c) => runCheck(c, ctx, { checkTimeoutMs: 60_000 })),
    );

    expect(Object.fromEntries(k.dials)).toEqual({ [address(0)]: 1, [address(1)]: 1, [address(4)]: 1, [address(5)]: 1 });
    for (const results of [fromKubelet!, fromCerts!, fromKubeletCerts!]) expect(results.filter((r) => r.status === 'error')).toEqual([]);
    // The kubelet check still names every dead kubelet, dialled or not.
    for (let i = 0; i < 4; i++)
      expect(
        fromKubelet!.find((r) => r.data?.['node'] === names[i]),
        names[i],
      ).toMatchObject({ status: 'crit', code: 'kubelet-unreachable' });
    expect(fromCerts!.find((r) => r.subject === 'kubelet serving certificates')).toMatchObject({
      status: 'skip',
      message: expect.stringMatching(/^2 kubelet serving certificates not inspected: the lease and the Ready condition say the kubelet is down .*: w2, w3$/),
    });
    expect(fromKubeletCerts!.find((r) => r.subject === 'kubelet serving certificates')).toMatchObject({
      status: 'skip',
      message: expect.stringMatching(/^2 kubelets not dialled: the lease and the Ready condition say the kubelet is down \(see kubelet\): w2, w3$/),
    });
  });

  it('a budget that runs out keeps the findings and counts the kubelets not finished, with no error result', async () => {
    const k = hungKubelets();
    const ctx = fakeContext({
      probes: { kube: api(), tcp: async () => ({ kind: 'ok', ms: 1 }), tls: k.tls },
      targets: { hosts: HOSTS, kubeServer: { url: 'https://10.0.0.10:6443', host: '10.0.0.10', port: 6443, source: 'kubeconfig' } },
      options: { concurrency: 2, deadlineMs: 10_000 },
      now: NOW,
    });
    const spent: string[] = [];
    // The API server's own handshake answers; no kubelet's does within the budget (the two
    // sampled dead ones included).
    const tls = ctx.probes.tls;
    ctx.probes.tls = (host, port) =>
      port === 6443 ? Promise.resolve({ kind: 'ok', ms: 1, chain: [], verifyError: null }) : (tls as (h: string) => Promise<TlsInspection>)(host);
    const [fromCerts, fromKubeletCerts] = await Promise.all(
      [certsServed, kubeletCertificates].map((c) => runCheck(c, ctx, { checkTimeoutMs: 400, onBudgetSpent: (id) => spent.push(id) })),
    );
    k.release();
    expect(spent.sort()).toEqual(['certs-served', 'kubelet-certificates']);
    expect(fromCerts!.filter((r) => r.status === 'error')).toEqual([]);
    expect(fromKubeletCerts!.filter((r) => r.status === 'error')).toEqual([]);
    expect(fromCerts!.find((r) => r.data?.['notFinished'])).toMatchObject({
      status: 'skip',
      message: '4 served certificates not inspected within the budget (--deadline 10s): 10.0.0.20:10250, 10.0.0.21:10250, 10.0.0.24:10250, 10.0.0.25:10250',
      data: { notFinished: { count: 4, what: 'served certificates not inspected' } },
    });
    expect(fromKubeletCerts!.find((r) => r.data?.['notFinished'])).toMatchObject({
      message: '4 kubelet serving certificates not read within the budget (--deadline 10s): w0, w1, w4, w5',
    });
  });
});
