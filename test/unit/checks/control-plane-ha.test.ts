// control-plane-ha judged from fake answers through the facts.
import { describe, expect, it } from 'vitest';
import { controlPlaneHa } from '../../../src/checks/control-plane-ha.js';
import type { Endpoint } from '../../../src/discovery/targets.js';
import { fakeContext } from '../../helpers/fake-context.js';
import { LB, CP, ok, fakeKube } from '../../helpers/fake-api.js';

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
