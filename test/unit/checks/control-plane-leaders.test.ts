// control-plane-leaders: the scheduler's and controller-manager's Leases judged against their
// duration, their pods where the shape has pods, and Pending pods no scheduler looked at.
import { describe, expect, it } from 'vitest';
import { ENTRIES } from '../../../src/catalogue/entries.js';
import { controlPlaneLeaders } from '../../../src/checks/control-plane-leaders.js';
import { apiContext, kubeadmPods, leaderLease, unscheduled } from './control-plane-fixtures.js';

const healthyLeases = [leaderLease('kube-controller-manager', 2), leaderLease('kube-scheduler', 1)];

describe('control-plane-leaders', () => {
  it('kubeadm, healthy: both leaders named with their renewal, pods Ready, nothing Pending: ok', async () => {
    const findings = await controlPlaneLeaders.run(apiContext({ pods: kubeadmPods(), leases: healthyLeases }));
    expect(findings.map((f) => [f.subject, f.status])).toEqual([
      ['kube-scheduler', 'ok'],
      ['kube-controller-manager', 'ok'],
    ]);
    expect(findings[0]!.message).toBe('leader cp-1 (Lease renewed 1s ago, duration 15s); pods: 3 of 3 Ready');
  });

  it('a stale controller-manager Lease: controller-manager-no-leader, with when it was last renewed and the pods', async () => {
    const ctx = apiContext({ pods: kubeadmPods(), leases: [leaderLease('kube-controller-manager', 360), leaderLease('kube-scheduler', 1)] });
    const [, cm] = await controlPlaneLeaders.run(ctx);
    expect(cm).toMatchObject({ status: 'crit', code: 'controller-manager-no-leader', about: { program: 'kube-controller-manager' } });
    expect(cm!.message).toBe('no active leader: the Lease names cp-1, but it was last renewed 6m ago (duration 15s); pods: 3 of 3 Ready');
    expect(ENTRIES['controller-manager-no-leader'].fix[0]).toMatch(/^kubectl -n kube-system get lease kube-controller-manager -o yaml/);
  });

  it('a released scheduler Lease with crash-looping pods, and Pending pods nobody looked at', async () => {
    const pods = kubeadmPods(3, (p) => (p.labels['component'] === 'kube-scheduler' ? { ...p, ready: false, waiting: 'CrashLoopBackOff', restarts: 4 } : p));
    const ctx = apiContext({
      pods,
      leases: [leaderLease('kube-controller-manager', 1), leaderLease('kube-scheduler', 700, null)],
      pending: [
        unscheduled('web-1', 300),
        unscheduled('web-2', 200),
        unscheduled('fresh', 10),
        unscheduled('too-big', 900, { reason: 'Unschedulable', message: '0/6 nodes are available' }),
      ],
    });
    const findings = await controlPlaneLeaders.run(ctx);
    expect(findings[0]).toMatchObject({ status: 'crit', code: 'scheduler-no-leader' });
    expect(findings[0]!.message).toContain('the Lease is released (no holder), last renewed 11m ago');
    expect(findings[0]!.message).toContain(
      'pods: 0 of 3 Ready, 3 in CrashLoopBackOff (kube-scheduler-cp-1, kube-scheduler-cp-2, kube-scheduler-cp-3), 12 restarts in all',
    );
    // Only the pods a scheduler never saw, past the first minute.
    expect(findings[2]).toMatchObject({ status: 'warn', code: 'pods-unscheduled', data: { pending: 2 } });
    expect(findings[2]!.message).toMatch(/^2 pods Pending without a node and never looked at by a scheduler \(oldest 5m\): default\/web-1, default\/web-2$/);
  });

  it('k3s (no pods, in-process): the Leases alone, said so, and a stale one is still a finding', async () => {
    const healthy = await controlPlaneLeaders.run(apiContext({ pods: [], leases: healthyLeases }));
    expect(healthy.map((f) => f.status)).toEqual(['ok', 'ok']);
    expect(healthy[0]!.message).toContain('no pods: it runs inside the server process (k3s, MicroK8s) or in the provider’s control plane');
    const stale = await controlPlaneLeaders.run(
      apiContext({ pods: [], leases: [leaderLease('kube-controller-manager', 1), leaderLease('kube-scheduler', 120)] }),
    );
    expect(stale[0]).toMatchObject({ status: 'crit', code: 'scheduler-no-leader' });
  });

  it('managed, Leases not visible: skipped with the reason, never a finding', async () => {
    const findings = await controlPlaneLeaders.run(apiContext({ pods: [], leases: [] }));
    expect(findings.map((f) => f.status)).toEqual(['skip', 'skip']);
    expect(findings[0]!.message).toMatch(/^no Lease kube-system\/kube-scheduler: leader election is off or kept elsewhere/);
  });

  it('Leases not readable (403): skipped naming the permission', async () => {
    const findings = await controlPlaneLeaders.run(apiContext({ forbidden: ['/apis/coordination.k8s.io'] }));
    expect(findings[0]).toMatchObject({ status: 'skip', message: 'leader Lease not checked: needs list leases in namespace kube-system' });
  });

  it('never probes 127.0.0.1 health ports from a machine without the static pod manifests', async () => {
    const ctx = apiContext({ pods: kubeadmPods(), leases: healthyLeases });
    ctx.probes.tls = () => {
      throw new Error('no TLS probe expected');
    };
    const findings = await controlPlaneLeaders.run(ctx);
    expect(findings.every((f) => f.data?.['healthEndpoint'] === 'not-probed')).toBe(true);
  });

  it('hostile holder and pod names are escaped', async () => {
    const ctx = apiContext({ pods: [], leases: [leaderLease('kube-scheduler', 1, 'evil\u001b]0;x\u0007_1'), leaderLease('kube-controller-manager', 1)] });
    const [scheduler] = await controlPlaneLeaders.run(ctx);
    expect(scheduler!.message).toContain('leader evil\\x1b]0;x\\x07 (');
  });
});
