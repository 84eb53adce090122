// nodes-health from a fake node list: the unreachable taint, a Ready condition that changed
// in the last 15 minutes (and one that only registered), and kubelet/API server version skew
// as the skew policy states it (three minors since 1.28, two before, never newer).
import { describe, expect, it } from 'vitest';
import { nodesHealth } from '../../../src/checks/nodes-health.js';
import { ENTRIES } from '../../../src/catalogue/entries.js';
import { allowedKubeletLag, judgeSkew, parseMinor } from '../../../src/judge/version-skew.js';
import { fakeContext } from '../../helpers/fake-context.js';
import { fakeApi, list } from '../../helpers/fake-objects-api.js';

const NOW = new Date('2026-11-25T10:00:00Z');
const ago = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000).toISOString();

function node(name: string, o: { ready?: string; readySince?: string; created?: string; version?: string; taints?: unknown[] } = {}) {
  return {
    metadata: { name, creationTimestamp: o.created ?? ago(3 * 24 * 60) },
    spec: o.taints ? { taints: o.taints } : {},
    status: {
      addresses: [{ type: 'InternalIP', address: `10.0.0.${name.length + 20}` }],
      conditions: [{ type: 'Ready', status: o.ready ?? 'True', lastTransitionTime: o.readySince ?? o.created ?? ago(3 * 24 * 60) }],
      nodeInfo: { kubeletVersion: o.version ?? 'v1.32.0' },
    },
  };
}

function run(nodes: unknown[], apiVersion = 'v1.32.0') {
  const kube = fakeApi({ '/version': { gitVersion: apiVersion }, '/readyz': 'ok', '/api/v1/nodes': list(nodes) });
  return nodesHealth.run(fakeContext({ probes: { kube }, now: NOW }));
}

describe('nodes-health', () => {
  it('healthy: one ok line, whatever the node count', async () => {
    const findings = await run([node('cp-1'), node('w-1'), node('w-22', { created: ago(3), readySince: ago(2) })]);
    expect(findings).toEqual([
      expect.objectContaining({
        status: 'ok',
        message: '3 nodes: none tainted unreachable, none turned Ready in the last 15 min; kubelets v1.32.0 within the supported skew of API server v1.32.0',
      }),
    ]);
  });

  it('the unreachable taint is a warning naming when it was added', async () => {
    const taints = [
      { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule', timeAdded: ago(12) },
      { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: ago(12) },
    ];
    const [f] = await run([node('w-1', { ready: 'Unknown', readySince: ago(12), taints })]);
    expect(f).toMatchObject({ status: 'warn', code: 'node-unreachable', subject: 'node w-1', about: { node: 'w-1' } });
    expect(f!.message).toMatch(/^carries the node.kubernetes.io\/unreachable taint \(NoSchedule and NoExecute\) since .* \(12 min ago\)/);
  });

  it('a node Ready again for 4 minutes after being NotReady is reported, saying what one snapshot can tell', async () => {
    const [f] = await run([node('w-1', { readySince: ago(4) })]);
    expect(f).toMatchObject({ status: 'warn', code: 'node-ready-flapping' });
    expect(f!.message).toBe(
      'turned Ready 4 min ago after being NotReady or Unknown (within the last 15 min); one snapshot shows only the last change, its events show how many',
    );
    expect(ENTRIES['node-ready-flapping'].fix[0]).toMatch(/^kubectl get events -A --field-selector involvedObject.kind=Node/);
  });

  it('kubelet four minors older, or newer, than the API server is outside the skew; three older is not', async () => {
    const findings = await run([node('old', { version: 'v1.28.9' }), node('ok', { version: 'v1.29.1' }), node('new', { version: 'v1.33.0' })]);
    expect(findings.map((f) => [f.subject, f.code])).toEqual([
      ['node old', 'kubelet-version-skew'],
      ['node new', 'kubelet-version-skew'],
    ]);
    expect(findings[0]!.message).toBe(
      'kubelet v1.28.9 with API server v1.32.0: the kubelet is 4 minor versions older than the API server (supported: at most 3 for an API server at 1.32)',
    );
    expect(findings[1]!.message).toMatch(/a kubelet must never be newer/);
  });

  it('reads distribution version strings and applies the pre-1.28 rule', () => {
    expect(parseMinor('v1.31.4+k3s1')).toEqual({ major: 1, minor: 31 });
    expect(parseMinor('v1.30.8-eks-2d5f260')).toEqual({ major: 1, minor: 30 });
    expect(allowedKubeletLag({ major: 1, minor: 27 })).toBe(2);
    expect(judgeSkew({ major: 1, minor: 24 }, { major: 1, minor: 27 })).toMatchObject({ ok: false, lag: 3 });
    expect(judgeSkew({ major: 1, minor: 29 }, { major: 1, minor: 32 })).toEqual({ ok: true, lag: 3 });
  });
});
