// The well-known ports of a Kubernetes control plane and its nodes, declared once.
export const PORTS = {
  /** kube-apiserver's secure port (kubeadm, k3s, RKE2, Talos, OpenShift). */
  apiServer: 6443,
  /** etcd's client port. */
  etcdClient: 2379,
  /** etcd's peer (raft) port. */
  etcdPeer: 2380,
  /** The kubelet's authenticated API. */
  kubelet: 10250,
} as const;

/** What listens on each well-known port, for messages. */
export const PORT_SERVICES: Readonly<Record<number, string>> = {
  [PORTS.apiServer]: 'kube-apiserver',
  [PORTS.etcdClient]: 'etcd (clients)',
  [PORTS.etcdPeer]: 'etcd (peers)',
  [PORTS.kubelet]: 'kubelet',
};
