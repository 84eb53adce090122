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
  'controller-manager-no-leader',
  'etcd-crashloop',
  'scheduler-down',
  'webhook-down',
  'node-flapping',
  'kubelet-skew',
] as const;

/** Each distribution's shape as it really builds it, healthy, then its faults. */
export const SHAPE_SCENARIO_NAMES = [
  'kubeadm',
  'kubeadm-external-etcd',
  'k3s',
  'k3s-etcd',
  'rke2',
  'talos',
  'microk8s',
  'openshift',
  'managed',
  'kubeadm-member-down',
  'kubeadm-quorum-lost',
  'k3s-server-down',
  'k3s-etcd-member-down',
  'rke2-member-down',
  'talos-member-down',
  'talos-quorum-lost',
  'microk8s-apiserver-down',
] as const;

/** The scenarios of the simulator's original (kubeadm, member addresses in --etcd-servers) form. */
export type ScenarioName = (typeof SCENARIO_NAMES)[number];
export type ShapeScenarioName = (typeof SHAPE_SCENARIO_NAMES)[number];
export type AnyScenarioName = ScenarioName | ShapeScenarioName;

/** Every named scenario, as `k8sdoc demo --list` shows them. */
export const ALL_SCENARIO_NAMES: readonly AnyScenarioName[] = [...SCENARIO_NAMES, ...SHAPE_SCENARIO_NAMES];

const HA = { controlPlanes: 3, workers: 3 };

const KUBEADM: Pick<ScenarioSpec, 'distribution' | 'controlPlanes' | 'workers'> = { distribution: 'kubeadm', ...HA };
const K3S: Pick<ScenarioSpec, 'distribution' | 'controlPlanes' | 'workers'> = { distribution: 'k3s', controlPlanes: 1, workers: 2 };
const K3S_ETCD: Pick<ScenarioSpec, 'distribution' | 'datastore' | 'controlPlanes' | 'workers'> = {
  distribution: 'k3s',
  datastore: 'etcd-embedded',
  controlPlanes: 3,
  workers: 2,
};
const RKE2: Pick<ScenarioSpec, 'distribution' | 'controlPlanes' | 'workers'> = { distribution: 'rke2', controlPlanes: 3, workers: 2 };
const TALOS: Pick<ScenarioSpec, 'distribution' | 'controlPlanes' | 'workers'> = { distribution: 'talos', controlPlanes: 3, workers: 2 };
const MICROK8S: Pick<ScenarioSpec, 'distribution' | 'controlPlanes' | 'workers'> = { distribution: 'microk8s', controlPlanes: 3, workers: 1 };

const BUILDERS: Record<AnyScenarioName, () => ScenarioSpec> = {
  'webhook-down': () => ({
    name: 'webhook-down',
    description:
      "The validating admission webhook 'policy-guard' (failurePolicy Fail) has no ready backend: its pods crash-loop, so every create or update of pods and Deployments outside kube-system is rejected.",
    ...HA,
    addons: { webhooks: [{ name: 'policy-guard', kind: 'validating', backend: 'down' }] },
  }),
  'node-flapping': () => ({
    name: 'node-flapping',
    description:
      "worker-1's kubelet restarted: the node was NotReady for a while and turned Ready again 4 minutes ago; its pods may have been evicted, and it may go again.",
    ...HA,
    nodes: { 'worker-1': { readyAgainMinutesAgo: 4 } },
  }),
  'kubelet-skew': () => ({
    name: 'kubelet-skew',
    description:
      'Kubelets outside the supported version skew of the v1.32 API servers: worker-2 was left at v1.28 (four minor versions behind, three are allowed), worker-3 was upgraded ahead to v1.33.',
    ...HA,
    nodes: { 'worker-2': { kubeletVersion: 'v1.28.15' }, 'worker-3': { kubeletVersion: 'v1.33.1' } },
  }),
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
  'controller-manager-no-leader': () => ({
    name: 'controller-manager-no-leader',
    description:
      "No kube-controller-manager has held its Lease for 6 minutes: each lost it ('leaderelection lost'), was restarted and runs, but none takes it again. Changes are not applied.",
    ...HA,
    controlPlane: {
      leaderless: { 'kube-controller-manager': 6 },
      programs: {
        'kube-controller-manager': {
          state: 'restarted',
          restarts: 3,
          endedSecondsAgo: 330,
          message: 'F1125 09:54:12.118390       1 controllermanager.go:294] "leaderelection lost"',
        },
      },
    },
  }),
  'etcd-crashloop': () => ({
    name: 'etcd-crashloop',
    description: 'etcd on cp-3 crash-loops on a corrupt database file: its pod is in CrashLoopBackOff, its member is down, quorum holds with two.',
    ...HA,
    etcd: { kill: ['cp-3'] },
    controlPlane: {
      programs: {
        etcd: {
          state: 'crashloop',
          nodes: ['cp-3'],
          restarts: 9,
          exitCode: 2,
          message: 'panic: freepages: failed to get all reachable pages (page 1342: multiple references (stack: [1342]))',
        },
      },
    },
  }),
  'scheduler-down': () => ({
    name: 'scheduler-down',
    description: 'Every kube-scheduler crash-loops (its kubeconfig is gone), the scheduler Lease is 12 minutes stale, and new pods stay Pending.',
    ...HA,
    controlPlane: {
      leaderless: { 'kube-scheduler': 12 },
      pendingPods: 3,
      programs: {
        'kube-scheduler': {
          state: 'crashloop',
          restarts: 8,
          message: 'E1125 09:41:07.123456       1 run.go:72] "command failed" err="stat /etc/kubernetes/scheduler.conf: no such file or directory"',
        },
      },
    },
  }),
  kubeadm: () => ({
    name: 'kubeadm',
    description: 'kubeadm stacked HA as kubeadm writes it: every API server reads etcd at https://127.0.0.1:2379; three members, three workers.',
    ...KUBEADM,
  }),
  'kubeadm-external-etcd': () => ({
    name: 'kubeadm-external-etcd',
    description: 'kubeadm with an external etcd: three etcd hosts that are not nodes, listed in --etcd-servers; no etcd pods.',
    ...KUBEADM,
    datastore: 'etcd-external',
  }),
  k3s: () => ({
    name: 'k3s',
    description: 'k3s with its default SQLite datastore (kine): one server, two agents, no etcd and no control-plane pods.',
    ...K3S,
  }),
  'k3s-etcd': () => ({
    name: 'k3s-etcd',
    description: 'k3s HA with embedded etcd (--cluster-init): three servers, each with an etcd member in the k3s process, two agents.',
    ...K3S_ETCD,
  }),
  rke2: () => ({
    name: 'rke2',
    description: 'RKE2: three servers with etcd, API server and kube-proxy static pods, the supervisor on :9345, two agents.',
    ...RKE2,
  }),
  talos: () => ({
    name: 'talos',
    description: 'Talos: three control-plane nodes, etcd a host service (no pod), API servers reading https://localhost:2379.',
    ...TALOS,
  }),
  microk8s: () => ({
    name: 'microk8s',
    description: 'MicroK8s HA: three nodes running kubelite (API on :16443) over dqlite, one worker; no etcd, no control-plane pods.',
    ...MICROK8S,
  }),
  openshift: () => ({
    name: 'openshift',
    description: 'OpenShift 4: three masters, the control plane in openshift-kube-apiserver and openshift-etcd, three workers.',
    distribution: 'openshift',
    ...HA,
  }),
  managed: () => ({
    name: 'managed',
    description: 'A managed control plane (EKS-like): the API endpoint on :443, three worker nodes, nothing of the control plane visible.',
    distribution: 'managed',
    controlPlanes: 0,
    workers: 3,
  }),
  'kubeadm-member-down': () => ({
    name: 'kubeadm-member-down',
    description: "kubeadm as written, cp-3's etcd member killed: quorum holds, cp-3's API server cannot read its local member.",
    ...KUBEADM,
    etcd: { kill: ['cp-3'] },
  }),
  'kubeadm-quorum-lost': () => ({
    name: 'kubeadm-quorum-lost',
    description: 'kubeadm as written, two of three etcd members killed: no quorum, no API server can read.',
    ...KUBEADM,
    etcd: { kill: ['cp-2', 'cp-3'] },
  }),
  'k3s-server-down': () => ({
    name: 'k3s-server-down',
    description: 'The single k3s server is stopped: its API (:6443) and its kubelet refuse; the agents keep running.',
    ...K3S,
    apiServer: { 'cp-1': { mode: 'down' } },
    nodes: { 'cp-1': { kubelet: 'down', stoppedPostingMinutesAgo: 5 } },
  }),
  'k3s-etcd-member-down': () => ({
    name: 'k3s-etcd-member-down',
    description: "k3s HA with embedded etcd, cp-3's member killed: quorum holds, one more failure loses it.",
    ...K3S_ETCD,
    etcd: { kill: ['cp-3'] },
  }),
  'rke2-member-down': () => ({
    name: 'rke2-member-down',
    description: "RKE2, cp-3's etcd member killed: quorum holds, cp-3's API server cannot read its local member.",
    ...RKE2,
    etcd: { kill: ['cp-3'] },
  }),
  'talos-member-down': () => ({
    name: 'talos-member-down',
    description: "Talos, cp-2's etcd service killed: quorum holds, one more failure loses it.",
    ...TALOS,
    etcd: { kill: ['cp-2'] },
  }),
  'talos-quorum-lost': () => ({
    name: 'talos-quorum-lost',
    description: 'Talos, two of three etcd services killed: no quorum, the API servers cannot read.',
    ...TALOS,
    etcd: { kill: ['cp-2', 'cp-3'] },
  }),
  'microk8s-apiserver-down': () => ({
    name: 'microk8s-apiserver-down',
    description: "MicroK8s, every node's kubelite API (:16443) refuses; the kubelets still answer.",
    ...MICROK8S,
    apiServers: { mode: 'down' },
  }),
};

export function isScenarioName(name: string): name is AnyScenarioName {
  return (ALL_SCENARIO_NAMES as readonly string[]).includes(name);
}

export function buildScenario(name: AnyScenarioName): ScenarioSpec {
  return BUILDERS[name]();
}
