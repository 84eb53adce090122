// The named scenarios of `k8sdoc demo` and the tests. Each is built when started, so that
// windows such as "expired 3 days ago" are relative to that moment.
import { expiredSince, validFor } from '../pki.js';
import type { ScenarioSpec } from './spec.js';

export const SCENARIO_NAMES = [
  'healthy',
  'apiserver-down',
  'zombie-etcd',
  'quorum-lost',
  'even-members',
  'nospace',
  'expired-certs',
  'expiring-soon',
  'notready-nodes',
  'memory-pressure',
  'lb-partial',
  'large',
  'single-control-plane',
  'etcd-readyz-failing',
] as const;

export type ScenarioName = (typeof SCENARIO_NAMES)[number];

const HA = { controlPlanes: 3, workers: 3 };

const BUILDERS: Record<ScenarioName, () => ScenarioSpec> = {
  healthy: () => ({
    name: 'healthy',
    description: 'Three control-plane nodes behind a load balancer, three workers, a three-member etcd: nothing wrong.',
    ...HA,
  }),
  'apiserver-down': () => ({
    name: 'apiserver-down',
    description: 'Every API server refuses connections (the load balancer has no backend left); etcd is healthy.',
    ...HA,
    apiServers: { mode: 'down' },
  }),
  'zombie-etcd': () => ({
    name: 'zombie-etcd',
    description: 'One of three etcd members is dead but still listed: quorum holds, one more failure loses it.',
    ...HA,
    etcd: { kill: ['cp-3'] },
  }),
  'quorum-lost': () => ({
    name: 'quorum-lost',
    description: 'Two of three etcd members are dead: no quorum, the API servers cannot read or write.',
    ...HA,
    etcd: { kill: ['cp-2', 'cp-3'] },
  }),
  'even-members': () => ({
    name: 'even-members',
    description: 'Four control-plane nodes, so four etcd members: no more fault tolerance than three.',
    controlPlanes: 4,
    workers: 2,
  }),
  nospace: () => ({
    name: 'nospace',
    description: 'The etcd database reached its quota: the NOSPACE alarm is raised and writes are refused.',
    ...HA,
    etcd: { quotaBackendBytes: 4 * 1024 * 1024, nospace: true },
  }),
  'expired-certs': () => {
    const expired = { validity: expiredSince(3) };
    return {
      name: 'expired-certs',
      description: 'The apiserver, apiserver-kubelet-client and front-proxy-client certificates expired 3 days ago; the API servers serve the expired one.',
      ...HA,
      pki: { apiserver: expired, 'apiserver-kubelet-client': expired, 'front-proxy-client': expired },
    };
  },
  'expiring-soon': () => {
    const soon = { validity: validFor(5) };
    return {
      name: 'expiring-soon',
      description: 'Every leaf certificate and kubeconfig expires in 5 days.',
      ...HA,
      pki: {
        apiserver: soon,
        'apiserver-kubelet-client': soon,
        'apiserver-etcd-client': soon,
        'front-proxy-client': soon,
        'etcd/server': soon,
        'etcd/peer': soon,
        'etcd/healthcheck-client': soon,
      },
      kubeconfigValidity: validFor(5),
    };
  },
  'notready-nodes': () => ({
    name: 'notready-nodes',
    description: "worker-2's kubelet stopped 10 minutes ago: port 10250 refuses, its lease is stale, the node is NotReady (Unknown).",
    ...HA,
    nodes: { 'worker-2': { kubelet: 'down', stoppedPostingMinutesAgo: 10 } },
  }),
  'memory-pressure': () => ({
    name: 'memory-pressure',
    description: 'worker-1 reports MemoryPressure.',
    ...HA,
    nodes: { 'worker-1': { memoryPressure: true } },
  }),
  'lb-partial': () => ({
    name: 'lb-partial',
    description: 'One of the three API servers behind the load balancer (cp-3) is down; kubectl still works through the others.',
    ...HA,
    apiServer: { 'cp-3': { mode: 'down' } },
  }),
  large: () => ({
    name: 'large',
    description: '5,000 nodes (3 control-plane, 4,997 workers): lists must be paged. Only the control plane runs kubelets.',
    controlPlanes: 3,
    workers: 4997,
    kubelets: 'control-plane',
  }),
  'single-control-plane': () => ({
    name: 'single-control-plane',
    description: 'One control-plane node (no load balancer, a single etcd member) and two workers: no high availability.',
    controlPlanes: 1,
    workers: 2,
  }),
  'etcd-readyz-failing': () => ({
    name: 'etcd-readyz-failing',
    description: "The API servers' readyz etcd check fails although etcd itself is healthy (the API servers cannot reach it).",
    ...HA,
    apiServers: { readyzFailing: ['etcd', 'etcd-readiness'] },
  }),
};

export function isScenarioName(name: string): name is ScenarioName {
  return (SCENARIO_NAMES as readonly string[]).includes(name);
}

export function buildScenario(name: ScenarioName): ScenarioSpec {
  return BUILDERS[name]();
}
