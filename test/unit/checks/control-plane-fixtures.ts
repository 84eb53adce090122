// Fake API answers for the control-plane checks: pods, Leases, nodes and Pending pods as the
// shapes show them (kubeadm static pods, k3s and managed clusters without any).
import type { KubeOutcome, KubeProbe } from '../../../src/probes/types.js';
import { fakeContext, type FakeContext } from '../../helpers/fake-context.js';

export const SERVER_NOW = new Date('2026-11-25T10:00:00Z');
const ago = (seconds: number) => new Date(SERVER_NOW.getTime() - seconds * 1000).toISOString();

export interface PodFixture {
  namespace?: string;
  name: string;
  node: string;
  labels: Record<string, string>;
  ready?: boolean;
  restarts?: number;
  waiting?: string;
  terminated?: { exitCode: number; reason?: string; message?: string; endedSecondsAgo?: number };
  static?: boolean;
}

export function pod(f: PodFixture) {
  return {
    metadata: {
      name: f.name,
      namespace: f.namespace ?? 'kube-system',
      labels: f.labels,
      ownerReferences: [{ kind: f.static === false ? 'ReplicaSet' : 'Node', name: f.node }],
    },
    spec: { nodeName: f.node },
    status: {
      phase: 'Running',
      hostIP: `10.0.0.${f.node.replace(/\D/g, '') || '1'}`,
      conditions: [{ type: 'Ready', status: f.ready === false ? 'False' : 'True' }],
      containerStatuses: [
        {
          name: f.labels['component'] ?? 'c',
          ready: f.ready !== false,
          restartCount: f.restarts ?? 0,
          state: f.waiting ? { waiting: { reason: f.waiting } } : { running: {} },
          lastState: f.terminated
            ? {
                terminated: {
                  exitCode: f.terminated.exitCode,
                  reason: f.terminated.reason ?? 'Error',
                  message: f.terminated.message,
                  finishedAt: ago(f.terminated.endedSecondsAgo ?? 60),
                },
              }
            : {},
        },
      ],
    },
  };
}

/** kubeadm's four static pods on each of cp-1 … cp-n. */
export function kubeadmPods(masters = 3, override: (p: PodFixture) => PodFixture = (p) => p) {
  const out = [];
  for (let i = 1; i <= masters; i++) {
    for (const component of ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler']) {
      out.push(pod(override({ name: `${component}-cp-${i}`, node: `cp-${i}`, labels: { component, tier: 'control-plane' } })));
    }
  }
  return out;
}

export function leaderLease(name: string, renewedSecondsAgo: number | null, holder: string | null = 'cp-1_0a1b2c') {
  return {
    metadata: { name, namespace: 'kube-system' },
    spec: {
      ...(holder ? { holderIdentity: holder } : {}),
      leaseDurationSeconds: 15,
      ...(renewedSecondsAgo === null ? {} : { renewTime: ago(renewedSecondsAgo) }),
      leaseTransitions: 2,
    },
  };
}

export function node(name: string, controlPlane: boolean) {
  return {
    metadata: { name, labels: controlPlane ? { 'node-role.kubernetes.io/control-plane': '' } : {} },
    status: { addresses: [{ type: 'InternalIP', address: `10.0.0.${name.replace(/\D/g, '')}` }], conditions: [{ type: 'Ready', status: 'True' }] },
  };
}

export function unscheduled(name: string, createdSecondsAgo: number, scheduled?: { reason: string; message: string }) {
  return {
    metadata: { name, namespace: 'default', creationTimestamp: ago(createdSecondsAgo) },
    spec: { schedulerName: 'default-scheduler' },
    status: { phase: 'Pending', ...(scheduled ? { conditions: [{ type: 'PodScheduled', status: 'False', ...scheduled }] } : {}) },
  };
}

function ok(items: unknown[]): KubeOutcome {
  return { kind: 'ok', status: 200, headers: { date: SERVER_NOW.toUTCString() }, body: JSON.stringify({ items }), ms: 1, truncated: false };
}

export interface ApiFixture {
  pods?: unknown[];
  leases?: unknown[];
  nodes?: unknown[];
  pending?: unknown[];
  /** Paths answered 403. */
  forbidden?: string[];
}

/** A context whose API answers from the fixture; every path asked is recorded. */
export function apiContext(f: ApiFixture): FakeContext & { asked: string[] } {
  const asked: string[] = [];
  const kube: KubeProbe = {
    server: 'https://10.0.0.1:6443',
    async get(path) {
      asked.push(path);
      const bare = path.split('?')[0]!;
      if ((f.forbidden ?? []).some((p) => bare.startsWith(p))) return { kind: 'forbidden', message: 'forbidden', ms: 1, status: 403 };
      if (bare === '/api/v1/namespaces/kube-system/pods') return ok(f.pods ?? []);
      if (bare.startsWith('/api/v1/namespaces/')) return ok([]);
      if (bare === '/apis/coordination.k8s.io/v1/namespaces/kube-system/leases') return ok(f.leases ?? []);
      if (bare === '/api/v1/nodes') return ok(f.nodes ?? []);
      if (bare === '/api/v1/pods') return ok(f.pending ?? []);
      return { kind: 'http', status: 404, message: 'not found', ms: 1 };
    },
  };
  const ctx = fakeContext({
    probes: { kube, files: { read: async () => ({ kind: 'missing', message: 'missing' }), list: async () => null, stat: async () => null } },
    now: SERVER_NOW,
  });
  return Object.assign(ctx, { asked });
}
