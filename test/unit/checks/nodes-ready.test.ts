// nodes-ready judged from fake answers through the facts.
import { describe, expect, it } from 'vitest';
import { nodesReady } from '../../../src/checks/nodes-ready.js';
import { fakeContext } from '../../helpers/fake-context.js';
import { nodeObject, lease, fakeApi, kubeletPorts } from '../../helpers/fake-nodes.js';

describe('nodes-ready', () => {
  it('reports every node, ok ones too, and names cordoned nodes as information', async () => {
    const kube = fakeApi(
      [nodeObject('cp-1', { address: '10.0.0.11', controlPlane: true }), nodeObject('w1', { address: '10.0.0.21', unschedulable: true })],
      [lease('cp-1', 3), lease('w1', 5)],
    );
    const findings = await nodesReady.run(fakeContext({ probes: { kube } }));
    expect(findings).toHaveLength(2);
    expect(findings[0]).toMatchObject({
      status: 'ok',
      subject: 'node cp-1',
      message: 'Ready (kubelet v1.32.0)',
      data: { node: 'cp-1', host: '10.0.0.11', leaseStale: false },
    });
    expect(findings[1]).toMatchObject({ status: 'ok', code: 'node-cordoned', subject: 'node w1' });
    expect(findings[1]!.message).toContain('cordoned (SchedulingDisabled)');
  });

  it('a NotReady node with a stopped kubelet: reason, since when, stale lease, refused port', async () => {
    const kube = fakeApi(
      [
        nodeObject('w1', { address: '10.0.0.21' }),
        nodeObject('w2', {
          address: '10.0.0.22',
          ready: 'Unknown',
          reason: 'NodeStatusUnknown',
          message: 'Kubelet stopped posting node status.',
          sinceMinutes: 12,
        }),
      ],
      [lease('w1', 4), lease('w2', 13 * 60)],
    );
    const findings = await nodesReady.run(fakeContext({ probes: { kube, ...kubeletPorts(['10.0.0.22']) } }));
    const w2 = findings.find((f) => f.subject === 'node w2')!;
    expect(w2).toMatchObject({
      status: 'crit',
      code: 'node-not-ready',
      data: { node: 'w2', host: '10.0.0.22', ready: 'Unknown', reason: 'NodeStatusUnknown', sinceSeconds: 720, leaseStale: true, kubelet: 'refused' },
    });
    expect(w2.message).toBe(
      'NotReady for 12m (Ready=Unknown, NodeStatusUnknown: Kubelet stopped posting node status); lease last renewed 13m ago: the kubelet stopped heartbeating (lease duration 40s); kubelet: port 10250 refuses connections: the kubelet is not running',
    );
    expect(findings.find((f) => f.subject === 'node w1')!.status).toBe('ok');
  });

  it('a NotReady node whose kubelet answers tells the other story, and names memory pressure', async () => {
    const kube = fakeApi(
      [
        nodeObject('w3', {
          address: '10.0.0.23',
          ready: 'False',
          reason: 'KubeletNotReady',
          message: 'container runtime is down',
          sinceMinutes: 3,
          true: ['MemoryPressure'],
        }),
      ],
      [lease('w3', 2)],
    );
    const [w3] = await nodesReady.run(fakeContext({ probes: { kube, ...kubeletPorts([]) } }));
    expect(w3).toMatchObject({ status: 'crit', code: 'node-not-ready', data: { kubelet: 'up', leaseStale: false, memoryPressure: true } });
    expect(w3!.message).toContain('its kubelet answers on 10250, so the kubelet runs but cannot report to the control plane');
    expect(w3!.message).toContain("MemoryPressure is True: the host's memory is full");
  });

  it('a Ready node whose lease stopped renewing is node-lease-stale', async () => {
    const kube = fakeApi([nodeObject('w4', { address: '10.0.0.24' })], [lease('w4', 55)]);
    const [w4] = await nodesReady.run(fakeContext({ probes: { kube, ...kubeletPorts(['10.0.0.24']) } }));
    expect(w4).toMatchObject({ status: 'crit', code: 'node-lease-stale', data: { leaseRenewedSecondsAgo: 55, leaseStale: true, kubelet: 'refused' } });
  });

  it('leases it may not list leave the verdict standing and say what is missing', async () => {
    const kube = fakeApi([nodeObject('w1', { address: '10.0.0.21', ready: 'False', reason: 'KubeletNotReady' })], 'forbidden');
    const [w1] = await nodesReady.run(fakeContext({ probes: { kube, ...kubeletPorts([]) } }));
    expect(w1).toMatchObject({
      status: 'crit',
      code: 'node-not-ready',
      data: { leaseStale: null, leaseUnknown: 'needs list leases in namespace kube-node-lease' },
    });
    expect(w1!.message).toContain('lease not checked (needs list leases in namespace kube-node-lease)');
  });
});
