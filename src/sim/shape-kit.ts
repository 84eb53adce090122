// What a distribution decides about the objects a simulated API server shows: each node's
// labels, annotations, taints and versions, and the pods in the system namespaces. The
// cluster state renders these templates into API objects and computes their status at
// request time from what is really running.
import { createHash } from 'node:crypto';

export type NodeRole = 'control-plane' | 'worker';

/** The parts of a node a distribution shapes; conditions and leases stay the cluster state's. */
export interface NodeLook {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  taints: { key: string; value?: string; effect: string }[];
  kubeletVersion: string;
  osImage: string;
  containerRuntimeVersion: string;
  kernelVersion: string;
  providerID?: string;
}

/** A node as the shape sees it. */
export interface ShapeNode {
  name: string;
  address: string;
  role: NodeRole;
}

/**
 * What a pod's readiness follows: `apiserver` the API server on its node, `etcd` the etcd
 * member on its node, `apiserver+local-etcd` both (an API server whose only etcd endpoint is
 * the member beside it fails its readiness probe when that member is gone), `node` only the
 * kubelet's own posting.
 */
export type PodHealth = 'apiserver' | 'etcd' | 'apiserver+local-etcd' | 'node';

export interface PodTemplate {
  namespace: string;
  name: string;
  node: string;
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  /** `Node`: a static (mirror) pod; otherwise the controller that owns it. */
  owner: { kind: 'Node' } | { kind: 'DaemonSet' | 'ReplicaSet' | 'StatefulSet'; name: string };
  spec: { containers: { name: string; image: string; [k: string]: unknown }[]; [k: string]: unknown };
  /** Pods on the host network carry the node's address; others an address of the pod network. */
  podIP?: string;
  health: PodHealth;
}

export interface ClusterShape {
  node(n: ShapeNode, index: number): NodeLook;
  pods(nodes: readonly ShapeNode[]): PodTemplate[];
  namespaces: readonly string[];
}

export const BASE_NAMESPACES = ['default', 'kube-node-lease', 'kube-public', 'kube-system'];

export function hexOf(seed: string, length: number): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, length);
}

/** The random-looking suffix a ReplicaSet or DaemonSet gives its pods, stable per seed. */
export function podSuffix(seed: string): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  const bytes = createHash('sha1').update(seed).digest();
  let out = '';
  for (let i = 0; i < 5; i++) out += alphabet[bytes[i]! % alphabet.length];
  return out;
}

/** Labels every kubelet sets on its own node. */
export function kubeletLabels(n: ShapeNode): Record<string, string> {
  return {
    'beta.kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    'kubernetes.io/hostname': n.name,
    'kubernetes.io/os': 'linux',
  };
}

/** One pod of a DaemonSet on each of `nodes`. */
export function daemonSetPods(
  nodes: readonly ShapeNode[],
  o: { namespace: string; name: string; labels: Record<string, string>; container: PodTemplate['spec']['containers'][number]; hostNetwork: boolean },
): PodTemplate[] {
  return nodes.map((n) => ({
    namespace: o.namespace,
    name: `${o.name}-${podSuffix(`${o.name}/${n.name}`)}`,
    node: n.name,
    labels: { ...o.labels, 'controller-revision-hash': hexOf(`${o.name}/rev`, 10), 'pod-template-generation': '1' },
    owner: { kind: 'DaemonSet', name: o.name },
    spec: { containers: [o.container], ...(o.hostNetwork ? { hostNetwork: true } : {}), priorityClassName: 'system-node-critical' },
    ...(o.hostNetwork ? {} : { podIP: podNetworkAddress(n, nodes, `${o.name}`) }),
    health: 'node',
  }));
}

/** `replicas` pods of a Deployment, spread over `nodes`. */
export function deploymentPods(
  nodes: readonly ShapeNode[],
  o: { namespace: string; name: string; replicas?: number; labels: Record<string, string>; container: PodTemplate['spec']['containers'][number] },
): PodTemplate[] {
  const hash = hexOf(`${o.namespace}/${o.name}`, 10);
  const rs = `${o.name}-${hash}`;
  const out: PodTemplate[] = [];
  for (let i = 0; i < (o.replicas ?? 1) && nodes.length > 0; i++) {
    const n = nodes[i % nodes.length]!;
    out.push({
      namespace: o.namespace,
      name: `${rs}-${podSuffix(`${rs}/${i}`)}`,
      node: n.name,
      labels: { ...o.labels, 'pod-template-hash': hash },
      owner: { kind: 'ReplicaSet', name: rs },
      spec: { containers: [o.container], priorityClassName: 'system-cluster-critical' },
      podIP: podNetworkAddress(n, nodes, `${rs}/${i}`),
      health: 'node',
    });
  }
  return out;
}

/** An address in the node's pod CIDR (10.42/16 for the Rancher distributions, 10.244/16 elsewhere: the caller's prefix does not matter to k8sdoc). */
function podNetworkAddress(n: ShapeNode, nodes: readonly ShapeNode[], seed: string): string {
  const index = Math.max(0, nodes.indexOf(n));
  return `10.244.${index % 256}.${2 + (parseInt(hexOf(seed, 2), 16) % 250)}`;
}

/** The workers when there are any, else the control plane: where a Deployment lands. */
export function schedulable(nodes: readonly ShapeNode[]): ShapeNode[] {
  const workers = nodes.filter((n) => n.role === 'worker');
  return workers.length > 0 ? workers : [...nodes];
}

/** CoreDNS as most distributions deploy it (two replicas, label k8s-app=kube-dns). */
export function corednsPods(nodes: readonly ShapeNode[], o: { name?: string; image?: string; replicas?: number } = {}): PodTemplate[] {
  return deploymentPods(schedulable(nodes), {
    namespace: 'kube-system',
    name: o.name ?? 'coredns',
    replicas: o.replicas ?? 2,
    labels: { 'k8s-app': 'kube-dns' },
    container: { name: 'coredns', image: o.image ?? 'registry.k8s.io/coredns/coredns:v1.11.3', args: ['-conf', '/etc/coredns/Corefile'] },
  });
}
