// What a scenario says about a simulated cluster: its shape and what is broken in it.
// Named scenarios (./index.ts) are built from this; tests build their own.
import type { ListenMode } from '../faults.js';
import type { KubeadmPkiOptions, Validity } from '../pki.js';

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

export interface ScenarioSpec {
  name: string;
  description: string;
  /** Control-plane nodes; each runs an API server, a stacked etcd member and a kubelet. */
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
  /** Which nodes get a listening kubelet; default all. `none` for huge clusters. */
  kubelets?: 'all' | 'control-plane' | 'none';
}

export function controlPlaneName(i: number): string {
  return `cp-${i + 1}`;
}

/** worker-1 … worker-N; zero-padded when there are 100 or more so that names sort in order. */
export function workerName(i: number, total: number): string {
  const width = total >= 100 ? String(total).length : 1;
  return `worker-${String(i + 1).padStart(width, '0')}`;
}
