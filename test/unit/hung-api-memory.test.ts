// A hung API server costs the run one --timeout: once it has timed out, nothing asks it again,
// unless it had already answered a read of the cluster's objects: then one slow list must not
// turn every later question (the leases the kubelet plan needs) into "not asked again". /version
// does not count: with etcd's quorum lost it still answers and every read hangs.
import { describe, expect, it } from 'vitest';
import { limitProbes } from '../../src/engine/limited-probes.js';
import type { KubeOutcome, KubeProbe, Probes } from '../../src/probes/types.js';
import { fakeProbes } from '../helpers/fake-context.js';

const OK: KubeOutcome = { kind: 'ok', status: 200, headers: {}, body: '{}', ms: 1, truncated: false };
const TIMEOUT: KubeOutcome = { kind: 'timeout', message: 'GET /slow did not answer within 1000 ms', ms: 1000 };

/** A server that answers every path but `slow`, which it never answers within --timeout; every request is logged. */
function server(slow: (path: string) => boolean): { probes: Probes; asked: string[] } {
  const asked: string[] = [];
  const kube: KubeProbe = {
    server: 'https://10.0.0.10:6443',
    async get(path) {
      asked.push(path);
      return slow(path) ? TIMEOUT : OK;
    },
  };
  return { probes: limitProbes(fakeProbes({ kube }), (fn) => fn()), asked };
}

const d = { timeoutMs: 1000 };

describe('a hung API server is asked once, a slow request is not a hung server', () => {
  it('a server that never answered and timed out is not asked again', async () => {
    const s = server(() => true);
    await s.probes.kube!.get('/version', d);
    const again = await s.probes.kube!.get('/api/v1/nodes?limit=500', d);
    expect(s.asked).toEqual(['/version']);
    expect(again).toMatchObject({ kind: 'timeout', message: expect.stringMatching(/not asked again\)$/) });
  });

  it('a server that timed out after answering only /version (quorum lost) is not asked again', async () => {
    const s = server((path) => path !== '/version');
    await s.probes.kube!.get('/version', d);
    await s.probes.kube!.get('/api/v1/nodes?limit=500', d);
    const again = await s.probes.kube!.get('/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases', d);
    expect(s.asked).toEqual(['/version', '/api/v1/nodes?limit=500']);
    expect(again).toMatchObject({ message: expect.stringMatching(/not asked again\)$/) });
  });

  it('a server that answered a list keeps being asked after one slow list timed out', async () => {
    const s = server((path) => path === '/api/v1/pods');
    await s.probes.kube!.get('/api/v1/nodes?limit=500', d);
    await s.probes.kube!.get('/api/v1/pods', d);
    const leases = await s.probes.kube!.get('/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases', d);
    expect(leases.kind).toBe('ok');
    expect(s.asked).toHaveLength(3);
  });
});
