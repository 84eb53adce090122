// Which kubelets are dialled: a lost heartbeat (stale lease, Ready not True) is judged without
// a dial past a sample; a fresh lease, a Ready node or unreadable leases always get one.
import { describe, expect, it } from 'vitest';
import { heartbeatLoss, planKubeletDials } from '../../src/judge/kubelet-plan.js';
import type { LeaseListOutcome } from '../../src/observe/leases.js';
import type { NodeSummary } from '../../src/observe/nodes.js';

const now = new Date('2026-12-05T10:00:00Z');
const ago = (s: number) => new Date(now.getTime() - s * 1000);

function node(name: string, ready: string): NodeSummary {
  return {
    name,
    address: `10.0.0.${name.length}`,
    controlPlane: false,
    unschedulable: false,
    kubeletPort: 10250,
    kubeletVersion: null,
    conditions: [{ type: 'Ready', status: ready, reason: ready === 'Unknown' ? 'NodeStatusUnknown' : 'KubeletReady' }],
  };
}

const leases: LeaseListOutcome = {
  kind: 'ok',
  serverNow: now,
  leases: new Map([
    ['dead-1', { node: 'dead-1', renewTime: ago(420), durationSeconds: 40 }],
    ['dead-2', { node: 'dead-2', renewTime: ago(420), durationSeconds: 40 }],
    ['dead-3', { node: 'dead-3', renewTime: ago(420), durationSeconds: 40 }],
    ['cut-off', { node: 'cut-off', renewTime: ago(5), durationSeconds: 40 }],
    ['lagging', { node: 'lagging', renewTime: ago(420), durationSeconds: 40 }],
  ]),
};

describe('kubelet dial plan', () => {
  it('judges lost heartbeats from the lease past the sample, in node-list order', () => {
    const nodes = [node('dead-1', 'Unknown'), node('dead-2', 'Unknown'), node('cut-off', 'False'), node('lagging', 'True'), node('dead-3', 'Unknown')];
    const plan = planKubeletDials(nodes, leases, now, 1);
    expect([...plan.byLease.keys()]).toEqual(['dead-2', 'dead-3']);
    expect(plan.sampled).toBe(1);
    expect(plan.byLease.get('dead-2')).toEqual({ leaseAgoMs: 420_000, noLease: false, ready: 'Unknown', readyReason: 'NodeStatusUnknown' });
  });

  it('dials a node whose lease still renews, one still Ready, and every node when the leases are unreadable', () => {
    expect(heartbeatLoss(node('cut-off', 'False'), leases, now)).toBeNull();
    expect(heartbeatLoss(node('lagging', 'True'), leases, now)).toBeNull();
    expect(heartbeatLoss(node('dead-1', 'Unknown'), { kind: 'forbidden', message: 'no' }, now)).toBeNull();
    expect(heartbeatLoss(node('dead-1', 'Unknown'), null, now)).toBeNull();
  });

  it('a NotReady node with no lease at all has lost its heartbeat', () => {
    expect(heartbeatLoss(node('never', 'Unknown'), leases, now)).toMatchObject({ noLease: true, leaseAgoMs: null });
  });
});
