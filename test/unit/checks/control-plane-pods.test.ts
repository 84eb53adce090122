// control-plane-pods: each control-plane static pod's readiness, restarts and last
// termination, and control-plane nodes missing a static pod the others run.
import { describe, expect, it } from 'vitest';
import { ENTRIES } from '../../../src/catalogue/entries.js';
import { controlPlanePods } from '../../../src/checks/control-plane-pods.js';
import { apiContext, kubeadmPods, node, pod } from './control-plane-fixtures.js';

const masters = [node('cp-1', true), node('cp-2', true), node('cp-3', true), node('worker-1', false)];

describe('control-plane-pods', () => {
  it('kubeadm, healthy: twelve static pods Ready, no restarts: all ok', async () => {
    const findings = await controlPlanePods.run(apiContext({ pods: kubeadmPods(), nodes: masters }));
    expect(findings).toHaveLength(12);
    expect(findings.every((f) => f.status === 'ok')).toBe(true);
    expect(findings[0]).toMatchObject({ subject: 'pod kube-system/etcd-cp-1', message: 'etcd on cp-1 Ready, no restarts' });
  });

  it('a crash-looping etcd pod: its restarts, exit code and last message, about its node and host', async () => {
    const pods = kubeadmPods(3, (p) =>
      p.name === 'etcd-cp-3'
        ? {
            ...p,
            ready: false,
            waiting: 'CrashLoopBackOff',
            restarts: 9,
            terminated: { exitCode: 2, message: 'panic: freepages: failed\nto get all reachable pages' },
          }
        : p,
    );
    const findings = await controlPlanePods.run(apiContext({ pods, nodes: masters }));
    const etcd = findings.find((f) => f.subject === 'pod kube-system/etcd-cp-3')!;
    expect(etcd).toMatchObject({ status: 'crit', code: 'control-plane-pod-crashloop', about: { program: 'etcd', node: 'cp-3', host: '10.0.0.3' } });
    expect(etcd.message).toBe('etcd on cp-3 in CrashLoopBackOff after 9 restarts; last run ended 60s ago, exit 2 (Error): to get all reachable pages');
    expect(ENTRIES['control-plane-pod-crashloop'].fix[0]).toBe('kubectl -n kube-system logs <pod> --previous   # the last run, as it ended');
    expect(findings.filter((f) => f.status !== 'ok')).toHaveLength(1);
  });

  it('a pod restarted within the hour is a warning; restarts long ago are history', async () => {
    const pods = kubeadmPods(3, (p) =>
      p.name === 'kube-controller-manager-cp-2'
        ? { ...p, restarts: 3, terminated: { exitCode: 1, message: 'leaderelection lost', endedSecondsAgo: 300 } }
        : p.name === 'kube-scheduler-cp-1'
          ? { ...p, restarts: 1, terminated: { exitCode: 137, reason: 'OOMKilled', endedSecondsAgo: 3 * 86_400 } }
          : p,
    );
    const findings = await controlPlanePods.run(apiContext({ pods, nodes: masters }));
    expect(findings.find((f) => f.subject.endsWith('kube-controller-manager-cp-2'))).toMatchObject({
      status: 'warn',
      code: 'control-plane-pod-restarting',
      message: 'kube-controller-manager on cp-2 Ready, but 3 restarts, the last within the hour; last run ended 5m ago, exit 1 (Error): leaderelection lost',
    });
    expect(findings.find((f) => f.subject.endsWith('kube-scheduler-cp-1'))).toMatchObject({
      status: 'ok',
      message: 'kube-scheduler on cp-1 Ready, 1 restart (last run ended 3d ago, exit 137 (OOMKilled))',
    });
  });

  it('a not-Ready API server pod: not-ready with the Ready condition', async () => {
    const pods = kubeadmPods(3, (p) => (p.name === 'kube-apiserver-cp-2' ? { ...p, ready: false } : p));
    const findings = await controlPlanePods.run(apiContext({ pods, nodes: masters }));
    expect(findings.find((f) => f.subject.endsWith('kube-apiserver-cp-2'))).toMatchObject({
      status: 'warn',
      code: 'control-plane-pod-not-ready',
      message: 'kube-apiserver on cp-2 not Ready: Ready=False, phase Running',
    });
  });

  it('a control-plane node without its scheduler pod (Talos check): control-plane-pod-missing', async () => {
    const pods = kubeadmPods(3).filter((p) => p.metadata.name !== 'kube-scheduler-cp-2');
    const findings = await controlPlanePods.run(apiContext({ pods, nodes: masters }));
    expect(findings.filter((f) => f.status !== 'ok')).toEqual([
      expect.objectContaining({
        status: 'warn',
        code: 'control-plane-pod-missing',
        subject: 'node cp-2',
        message: 'control-plane node cp-2 has no kube-scheduler pod, though 2 other control-plane nodes run one',
      }),
    ]);
  });

  it('Talos: labels k8s-app, no etcd pod by design, so no etcd pod is missing', async () => {
    const pods = [1, 2, 3].flatMap((i) =>
      ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler'].map((c) =>
        pod({ name: `${c}-cp-${i}`, node: `cp-${i}`, labels: { 'k8s-app': c, 'app.kubernetes.io/managed-by': 'Talos' } }),
      ),
    );
    const findings = await controlPlanePods.run(apiContext({ pods, nodes: masters }));
    expect(findings).toHaveLength(9);
    expect(findings.every((f) => f.status === 'ok')).toBe(true);
  });

  it('k3s, MicroK8s and managed clusters (no control-plane pods): skipped, saying why, never a finding', async () => {
    const coredns = pod({ name: 'coredns-abc', node: 'worker-1', labels: { 'k8s-app': 'kube-dns' }, static: false });
    const ctx = apiContext({ pods: [coredns], nodes: masters });
    const findings = await controlPlanePods.run(ctx);
    expect(findings).toEqual([
      expect.objectContaining({
        status: 'skip',
        message: expect.stringMatching(/^no control-plane pods in kube-system: the control plane runs in one server process/),
      }),
    ]);
    // Without static pods in kube-system, OpenShift's control-plane namespaces are asked too.
    expect(ctx.asked.some((p) => p.startsWith('/api/v1/namespaces/openshift-etcd/pods'))).toBe(true);
  });

  it('OpenShift: the static pods in openshift-etcd and openshift-kube-apiserver, not the installer pods beside them', async () => {
    const kube = apiContext({ pods: [], nodes: masters });
    const original = kube.probes.kube!.get.bind(kube.probes.kube);
    kube.probes.kube!.get = async (path, o) => {
      if (path.startsWith('/api/v1/namespaces/openshift-etcd/pods')) {
        const items = [
          pod({
            namespace: 'openshift-etcd',
            name: 'etcd-cp-1',
            node: 'cp-1',
            labels: { app: 'etcd', 'k8s-app': 'etcd', etcd: 'true' },
            waiting: 'CrashLoopBackOff',
            ready: false,
            restarts: 2,
          }),
          pod({ namespace: 'openshift-etcd', name: 'installer-7-cp-1', node: 'cp-1', labels: { app: 'installer' }, static: false }),
        ];
        return { kind: 'ok', status: 200, headers: {}, body: JSON.stringify({ items }), ms: 1, truncated: false };
      }
      return original(path, o);
    };
    const findings = await controlPlanePods.run(kube);
    expect(findings.filter((f) => f.subject.startsWith('pod '))).toEqual([
      expect.objectContaining({ subject: 'pod openshift-etcd/etcd-cp-1', code: 'control-plane-pod-crashloop' }),
    ]);
  });
});
