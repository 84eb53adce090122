// What a scenario says about a simulated cluster: its shape and what is broken in it.
// Named scenarios (./index.ts) are built from this; tests build their own.
import type { AddonSpec } from '../addons.js';
import type { ListenMode } from '../faults.js';
import type { KubeadmPkiOptions, Validity } from '../pki.js';
import type { AddonsSpec } from '../api-objects.js';

/** The certificate an API server presents. `valid` is the apiserver.crt on disk, whatever its window. */
export type ServedCert = 'valid' | 'expired' | 'not-yet-valid' | 'wrong-san' | 'unknown-ca';

export interface ApiServerSpec {
  /** `down`: connection refused; `hang`: TCP accepted, no TLS answer. Default `up`. */
  mode?: ListenMode;
  servedCert?: ServedCert;
  slowMs?: number;
  /** Health checks forced to fail (`etcd`, `informer-sync`, ...), whatever etcd says. */
  readyzFailing?: string[];
  p99LatencySeconds?: number;
  /** Resources (`nodes`, `leases`, `nodes/proxy`) or paths (`/metrics`) answered 401 to everyone. */
  unauthorized?: string[];
  /** Resources or paths answered 403 to everyone, admins included. */
  forbidden?: string[];
}

export interface NodeSpec {
  /** The kubelet's port 10250. Anything but `up` also means the kubelet stopped posting status. */
  kubelet?: ListenMode;
  /** How long ago a stopped kubelet last posted status and renewed its lease (default 5). */
  stoppedPostingMinutesAgo?: number;
  memoryPressure?: boolean;
  diskPressure?: boolean;
  pidPressure?: boolean;
  unschedulable?: boolean;
  /** The kubelet version the node reports (`v1.28.15`); default the distribution's. */
  kubeletVersion?: string;
  /**
   * The node turned Ready again this many minutes ago after a spell NotReady (its kubelet
   * restarted, or lost the control plane for a while): every condition's lastTransitionTime.
   */
  readyAgainMinutesAgo?: number;
}

export interface EtcdSpec {
  /** Members (named after their control-plane node) killed once the cluster is up: still listed, not running. */
  kill?: string[];
  /** Members stopped with SIGSTOP: a hung host whose sockets still accept. */
  pause?: string[];
  quotaBackendBytes?: number;
  /** Fill the database until etcd raises the NOSPACE alarm (needs a small quotaBackendBytes). */
  nospace?: boolean;
}

/** The programs of the control plane, as their static pods and Leases name them. */
export type SimProgram = 'kube-apiserver' | 'etcd' | 'kube-scheduler' | 'kube-controller-manager';

/**
 * How a control-plane program's container fares, as its pod shows it: `crashloop` exits at
 * start and waits in CrashLoopBackOff; `restarted` runs again (Ready) after `restarts` exits.
 */
export interface ProgramFault {
  state: 'crashloop' | 'restarted';
  /** Control-plane nodes it applies to (`cp-3`); default every one. */
  nodes?: string[];
  restarts?: number;
  exitCode?: number;
  reason?: string;
  /** What the container left in its termination message (the last log line). */
  message?: string;
  /** How long ago the last run ended (default 90 s). */
  endedSecondsAgo?: number;
}

/** What the control plane's own programs do, beyond what the etcd members and API servers decide. */
export interface ControlPlaneSpec {
  programs?: Partial<Record<SimProgram, ProgramFault>>;
  /** Leader Leases in kube-system not renewed for this many minutes: nobody leads. */
  leaderless?: Partial<Record<'kube-scheduler' | 'kube-controller-manager', number>>;
  /** Pods of a Deployment `web` in `default` waiting for a scheduler: Pending, no node, no condition. */
  pendingPods?: number;
}

/** Who built the cluster: decides labels, annotations, pods, ports, versions and files on the nodes. */
export type Distribution = 'kubeadm' | 'k3s' | 'rke2' | 'talos' | 'microk8s' | 'openshift' | 'managed';

/** Where the cluster keeps its state. */
export type Datastore =
  /** One etcd member per control-plane node, next to the API server. */
  | 'etcd-stacked'
  /** etcd members on hosts of their own, not nodes of the cluster. */
  | 'etcd-external'
  /** etcd inside the distribution's own server process (k3s --cluster-init). */
  | 'etcd-embedded'
  /** kine over SQLite: no etcd at all. */
  | 'sqlite'
  /** dqlite (MicroK8s): no etcd at all. */
  | 'dqlite'
  /** The provider runs it and shows none of it. */
  | 'managed';

/**
 * How the API servers' `--etcd-servers` reads: `members` lists every member's own address
 * (the simulator's original form); `as-written` is what the distribution really writes
 * (kubeadm, RKE2 and k3s `https://127.0.0.1:2379`, Talos `https://localhost:2379`,
 * OpenShift every member plus `https://localhost:2379`).
 */
export type EtcdServersForm = 'members' | 'as-written';

export interface ScenarioSpec {
  name: string;
  description: string;
  /** Default `kubeadm`. */
  distribution?: Distribution;
  /** Default: the distribution's usual one (see datastoreOf). */
  datastore?: Datastore;
  /** Default: `members` for a scenario that names no distribution, `as-written` for one that does. */
  etcdServers?: EtcdServersForm;
  /** Control-plane nodes (servers); with stacked etcd each runs a member. `managed`: 0, the provider's. */
  controlPlanes: number;
  workers: number;
  /** A TCP load balancer in front of the API servers, used by admin.conf. Default: more than one control plane. */
  loadBalancer?: boolean;
  etcd?: EtcdSpec;
  /** Applies to every API server. */
  apiServers?: ApiServerSpec;
  /** Per control-plane node name (`cp-1`), over `apiServers`. */
  apiServer?: Record<string, ApiServerSpec>;
  /** Per node name (`worker-2`). */
  nodes?: Record<string, NodeSpec>;
  /** Certificates on disk: validity, omissions, SANs (kubeadm names, see pki.ts). */
  pki?: KubeadmPkiOptions['overrides'];
  /** Validity of the client certificates in admin.conf and the other kubeconfigs. */
  kubeconfigValidity?: Validity;
  /** The scheduler's, controller-manager's and static pods' faults. */
  controlPlane?: ControlPlaneSpec;
  /** Which nodes get a listening kubelet; default all. `none` for huge clusters. */
  kubelets?: 'all' | 'control-plane' | 'none';
  /** Add-ons on top of the distribution (cert-manager Certificates, the ingress-nginx controller), for plugins to be tested against. */
  thirdParty?: AddonSpec;
  /** Admission webhooks, metrics-server, CoreDNS and kube-proxy faults, kube-proxy replacement, pending CSRs. */
  addons?: AddonsSpec;
}

/** Hosts of an external etcd (`etcd-external`): names `etcd-1` …, not cluster nodes. */
export const EXTERNAL_ETCD_HOSTS = 3;

export function datastoreOf(spec: ScenarioSpec): Datastore {
  if (spec.datastore) return spec.datastore;
  switch (spec.distribution ?? 'kubeadm') {
    case 'k3s':
      return 'sqlite';
    case 'microk8s':
      return 'dqlite';
    case 'managed':
      return 'managed';
    default:
      return 'etcd-stacked';
  }
}

export function etcdServersFormOf(spec: ScenarioSpec): EtcdServersForm {
  return spec.etcdServers ?? (spec.distribution === undefined ? 'members' : 'as-written');
}

/** Whether the datastore is etcd (members the simulator runs for real). */
export function hasEtcd(datastore: Datastore): boolean {
  return datastore === 'etcd-stacked' || datastore === 'etcd-external' || datastore === 'etcd-embedded';
}

export function controlPlaneName(i: number): string {
  return `cp-${i + 1}`;
}

/** worker-1 … worker-N; zero-padded when there are 100 or more so that names sort in order. */
export function workerName(i: number, total: number): string {
  const width = total >= 100 ? String(total).length : 1;
  return `worker-${String(i + 1).padStart(width, '0')}`;
}
