// Add-ons on a dead node: a CoreDNS replica (or kube-proxy pod) that is not ready because its
// node stopped reporting is the node's echo, ranked under it, while the same add-on down on a
// Ready node stays a root cause of its own.
import { describe, expect, it } from 'vitest';
import type { Code } from '../../src/catalogue/codes.js';
import { triage } from '../../src/engine/triage.js';
import type { About, Component, Result, Status } from '../../src/engine/types.js';

function result(check: string, component: Component, subject: string, code: Code, status: Status, about: About): Result {
  return { check, component, subject, status, message: subject, durationMs: 1, code, about };
}

const DEAD_WORKER = [
  result('kubelet', 'kubelet', 'kubelet w2', 'kubelet-unreachable', 'crit', { node: 'w2', host: '10.0.0.22', port: 10250 }),
  result('nodes-ready', 'nodes', 'node w2', 'node-not-ready', 'crit', { node: 'w2', host: '10.0.0.22' }),
];

describe('triage of add-ons on a node that is not Ready', () => {
  it('the dead kubelet explains the CoreDNS replica and kube-proxy pod on its node, CoreDNS is no root cause', () => {
    const causes = triage([
      ...DEAD_WORKER,
      result('cluster-addons', 'nodes', 'coredns kube-system/coredns on node w2', 'coredns-unavailable', 'warn', { node: 'w2' }),
      result('cluster-addons', 'nodes', 'kube-proxy on node w2', 'kube-proxy-unavailable', 'warn', { node: 'w2' }),
    ]);
    expect(causes.map((c) => c.code)).toEqual(['kubelet-unreachable']);
    expect(causes[0]!.explains).toEqual(expect.arrayContaining(['node-not-ready', 'coredns-unavailable', 'kube-proxy-unavailable']));
  });

  it('a NotReady node alone (kubelet not probed) explains them too', () => {
    const causes = triage([
      DEAD_WORKER[1]!,
      result('cluster-addons', 'nodes', 'coredns kube-system/coredns on node w2', 'coredns-unavailable', 'crit', { node: 'w2' }),
    ]);
    expect(causes.map((c) => [c.code, c.explains])).toEqual([['node-not-ready', ['coredns-unavailable']]]);
  });

  it('CoreDNS down on a Ready node stays a cause of its own', () => {
    const causes = triage([
      ...DEAD_WORKER,
      result('cluster-addons', 'nodes', 'coredns kube-system/coredns on node w3', 'coredns-unavailable', 'warn', { node: 'w3' }),
    ]);
    expect(causes.map((c) => [c.code, c.subject, c.explains])).toEqual([
      ['kubelet-unreachable', 'kubelet w2', ['node-not-ready']],
      ['coredns-unavailable', 'coredns kube-system/coredns on node w3', []],
    ]);
  });
});
