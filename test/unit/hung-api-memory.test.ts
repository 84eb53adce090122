// A hung API server costs the run one --timeout: once it has timed out without ever answering,
// nothing asks it again. A server that answers is not hung: one slow request to it must not
// turn every later question (the leases the kubelet plan needs) into "not asked again".
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

  it('a server that answered keeps being asked after one of its requests timed out', async () => {
    const s = server((path) => path.includes('openshift'));
    await s.probes.kube!.get('/version', d);
    await s.probes.kube!.get('/api/v1/namespaces/openshift-etcd/pods', d);
    const leases = await s.probes.kube!.get('/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases', d);
    expect(leases.kind).toBe('ok');
    expect(s.asked).toHaveLength(3);
  });
});
