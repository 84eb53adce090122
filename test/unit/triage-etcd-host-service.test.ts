// etcd as a host service (Talos): with the member on cp-2 gone, its API server reports not
// ready and its kube-apiserver pod too. The member is the root cause; the pod being down
// accounts for the API server's own port, never for etcd's ports on the same machine.
import { describe, expect, it } from 'vitest';
import type { Code } from '../../src/catalogue/codes.js';
import { triage } from '../../src/engine/triage.js';
import type { About, Component, Result, Status } from '../../src/engine/types.js';

function result(check: string, component: Component, subject: string, code: Code, status: Status, about: About): Result {
  return { check, component, subject, status, message: subject, durationMs: 1, code, about };
}

const MEMBER_GONE = [
  result('apiserver-health', 'apiserver', 'apiserver https://10.0.0.12:6443', 'apiserver-not-ready', 'crit', {
    endpoint: 'https://10.0.0.12:6443',
    host: '10.0.0.12',
    port: 6443,
    node: 'cp-2',
  }),
  result('etcd-quorum', 'etcd', 'etcd', 'etcd-quorum-at-risk', 'warn', { evidence: { quorum: 'present' } }),
  result('etcd-members', 'etcd', 'etcd member cp-2', 'etcd-member-unreachable', 'crit', {
    member: { id: '9ff9599a4e01bee', name: 'cp-2', clientURLs: ['https://10.0.0.12:2379'], peerURLs: ['https://10.0.0.12:2380'] },
    endpoint: 'https://10.0.0.12:2379',
    evidence: { quorum: 'present' },
  }),
  result('control-plane-pods', 'apiserver', 'pod kube-system/kube-apiserver-cp-2', 'control-plane-pod-not-ready', 'crit', {
    program: 'kube-apiserver',
    node: 'cp-2',
    host: '10.0.0.12',
  }),
  result('ports', 'ports', 'port 10.0.0.12:2379 (cp-2)', 'port-refused', 'crit', {
    node: 'cp-2',
    host: '10.0.0.12',
    port: 2379,
    evidence: { tcp: 'refused', listener: 'etcd-client' },
  }),
  result('ports', 'ports', 'port 10.0.0.12:2380 (cp-2)', 'port-refused', 'crit', {
    node: 'cp-2',
    host: '10.0.0.12',
    port: 2380,
    evidence: { tcp: 'refused', listener: 'etcd-peer' },
  }),
];

describe('an etcd member lost where etcd is a host service', () => {
  it('the member is the one root cause: the API server, its pod, the ports and the quorum at risk are its echoes', () => {
    const causes = triage(MEMBER_GONE);
    expect(causes.map((c) => c.code)).toEqual(['etcd-member-unreachable']);
    expect(causes[0]!.explains).toEqual(expect.arrayContaining(['apiserver-not-ready', 'control-plane-pod-not-ready', 'port-refused', 'etcd-quorum-at-risk']));
  });

  it('a kube-apiserver pod down still accounts for its own port', () => {
    const causes = triage([
      MEMBER_GONE[3]!,
      result('ports', 'ports', 'port 10.0.0.12:6443 (cp-2)', 'port-refused', 'crit', {
        node: 'cp-2',
        host: '10.0.0.12',
        port: 6443,
        evidence: { tcp: 'refused', listener: 'kube-apiserver' },
      }),
    ]);
    expect(causes.map((c) => [c.code, c.explains])).toEqual([['control-plane-pod-not-ready', ['port-refused']]]);
  });
});
