// Node and pod objects written the way each distribution writes them (labels, annotations,
// commands), for the shape judgements' tables.
import type { NodeFacts, PodFacts } from '../../../src/shape/types.js';

export interface Host {
  name: string;
  ip: string;
}

export const CP: readonly Host[] = [
  { name: 'cp-1', ip: '10.0.0.11' },
  { name: 'cp-2', ip: '10.0.0.12' },
  { name: 'cp-3', ip: '10.0.0.13' },
];

export const CP6: readonly Host[] = [
  { name: 'cp-1', ip: 'fd00::11' },
  { name: 'cp-2', ip: 'fd00::12' },
  { name: 'cp-3', ip: 'fd00::13' },
];

const url = (ip: string, port: number) => `https://${ip.includes(':') ? `[${ip}]` : ip}:${port}`;

export function kubeadmNode(h: Host, version = 'v1.31.4'): NodeFacts {
  return {
    name: h.name,
    labels: {
      'kubernetes.io/hostname': h.name,
      'node-role.kubernetes.io/control-plane': '',
      'node.kubernetes.io/exclude-from-external-load-balancers': '',
    },
    annotations: { 'kubeadm.alpha.kubernetes.io/cri-socket': 'unix:///var/run/containerd/containerd.sock' },
    taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }],
    addresses: [
      { type: 'InternalIP', address: h.ip },
      { type: 'Hostname', address: h.name },
    ],
    kubeletVersion: version,
    osImage: 'Ubuntu 24.04.1 LTS',
  };
}

export function kubeadmApiServer(h: Host, etcdServers = h.ip.includes(':') ? 'https://[::1]:2379' : 'https://127.0.0.1:2379'): PodFacts {
  return {
    namespace: 'kube-system',
    name: `kube-apiserver-${h.name}`,
    labels: { component: 'kube-apiserver', tier: 'control-plane' },
    annotations: { 'kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint': url(h.ip, 6443).replace('https://', '') },
    nodeName: h.name,
    hostIP: h.ip,
    containers: [
      {
        name: 'kube-apiserver',
        command: [
          'kube-apiserver',
          `--advertise-address=${h.ip}`,
          '--allow-privileged=true',
          '--etcd-cafile=/etc/kubernetes/pki/etcd/ca.crt',
          '--etcd-certfile=/etc/kubernetes/pki/apiserver-etcd-client.crt',
          '--etcd-keyfile=/etc/kubernetes/pki/apiserver-etcd-client.key',
          `--etcd-servers=${etcdServers}`,
          '--secure-port=6443',
        ],
      },
    ],
  };
}

export function kubeadmEtcd(h: Host, all: readonly Host[] = CP): PodFacts {
  const loopback = h.ip.includes(':') ? 'https://[::1]:2379' : 'https://127.0.0.1:2379';
  return {
    namespace: 'kube-system',
    name: `etcd-${h.name}`,
    labels: { component: 'etcd', tier: 'control-plane' },
    annotations: { 'kubeadm.kubernetes.io/etcd.advertise-client-urls': url(h.ip, 2379) },
    nodeName: h.name,
    hostIP: h.ip,
    containers: [
      {
        name: 'etcd',
        command: [
          'etcd',
          `--advertise-client-urls=${url(h.ip, 2379)}`,
          '--cert-file=/etc/kubernetes/pki/etcd/server.crt',
          '--data-dir=/var/lib/etcd',
          `--initial-advertise-peer-urls=${url(h.ip, 2380)}`,
          `--initial-cluster=${all.map((o) => `${o.name}=${url(o.ip, 2380)}`).join(',')}`,
          `--listen-client-urls=${loopback},${url(h.ip, 2379)}`,
          `--listen-metrics-urls=http://${h.ip.includes(':') ? '[::1]' : '127.0.0.1'}:2381`,
          `--listen-peer-urls=${url(h.ip, 2380)}`,
          `--name=${h.name}`,
        ],
      },
    ],
  };
}

export function kubeadmCluster(hosts: readonly Host[] = CP): { nodes: NodeFacts[]; pods: PodFacts[] } {
  return {
    nodes: hosts.map((h) => kubeadmNode(h)),
    pods: [...hosts.map((h) => kubeadmApiServer(h)), ...hosts.map((h) => kubeadmEtcd(h, hosts))],
  };
}

export function k3sNode(h: Host, opts: { args?: string[]; env?: Record<string, string>; etcd?: boolean; program?: 'k3s' | 'rke2' } = {}): NodeFacts {
  const program = opts.program ?? 'k3s';
  const annotations: Record<string, string> = {
    [`${program}.io/hostname`]: h.name,
    [`${program}.io/internal-ip`]: h.ip,
    [`${program}.io/node-args`]: JSON.stringify(opts.args ?? ['server']),
    [`${program}.io/node-env`]: JSON.stringify(opts.env ?? {}),
    [`${program}.io/node-config-hash`]: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567ABCDEFGHIJKLMNOPQRST====',
  };
  const labels: Record<string, string> = {
    'kubernetes.io/hostname': h.name,
    'node-role.kubernetes.io/control-plane': 'true',
    'node-role.kubernetes.io/master': 'true',
    'node.kubernetes.io/instance-type': program,
  };
  if (opts.etcd) {
    labels['node-role.kubernetes.io/etcd'] = 'true';
    annotations[`etcd.${program}.cattle.io/node-name`] = `${h.name}-0a1b2c3d`;
    annotations[`etcd.${program}.cattle.io/node-address`] = h.ip;
  }
  return {
    name: h.name,
    labels,
    annotations,
    addresses: [
      { type: 'InternalIP', address: h.ip },
      { type: 'Hostname', address: h.name },
    ],
    kubeletVersion: program === 'k3s' ? 'v1.31.4+k3s1' : 'v1.31.4+rke2r1',
    providerID: `${program}://${h.name}`,
  };
}

export function rke2ApiServer(h: Host, etcdServers = 'https://127.0.0.1:2379'): PodFacts {
  return {
    namespace: 'kube-system',
    name: `kube-apiserver-${h.name}`,
    labels: { component: 'kube-apiserver', tier: 'control-plane' },
    nodeName: h.name,
    hostIP: h.ip,
    containers: [
      {
        name: 'kube-apiserver',
        command: ['kube-apiserver'],
        args: [
          '--advertise-address=' + h.ip,
          '--etcd-cafile=/var/lib/rancher/rke2/server/tls/etcd/server-ca.crt',
          `--etcd-servers=${etcdServers}`,
          '--secure-port=6443',
        ],
      },
    ],
  };
}

export function rke2Etcd(h: Host): PodFacts {
  return {
    namespace: 'kube-system',
    name: `etcd-${h.name}`,
    labels: { component: 'etcd', tier: 'control-plane' },
    nodeName: h.name,
    hostIP: h.ip,
    containers: [{ name: 'etcd', command: ['etcd'], args: ['--config-file=/var/lib/rancher/rke2/server/db/etcd/config'] }],
  };
}

export function talosNode(h: Host): NodeFacts {
  return {
    name: h.name,
    labels: { 'kubernetes.io/hostname': h.name, 'node-role.kubernetes.io/control-plane': '' },
    taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }],
    addresses: [
      { type: 'InternalIP', address: h.ip },
      { type: 'Hostname', address: h.name },
    ],
    kubeletVersion: 'v1.31.4',
    osImage: 'Talos (v1.9.1)',
  };
}

export function talosApiServer(h: Host, etcdServers = 'https://localhost:2379'): PodFacts {
  return {
    namespace: 'kube-system',
    name: `kube-apiserver-${h.name}`,
    labels: { component: 'kube-apiserver', tier: 'control-plane', 'k8s-app': 'kube-apiserver', 'app.kubernetes.io/managed-by': 'Talos' },
    nodeName: h.name,
    hostIP: h.ip,
    containers: [{ name: 'kube-apiserver', command: ['/usr/local/bin/kube-apiserver', `--etcd-servers=${etcdServers}`, '--secure-port=6443'] }],
  };
}

export function openshiftNode(h: Host): NodeFacts {
  return {
    name: h.name,
    labels: {
      'node-role.kubernetes.io/control-plane': '',
      'node-role.kubernetes.io/master': '',
      'node.openshift.io/os_id': 'rhcos',
    },
    taints: [{ key: 'node-role.kubernetes.io/master', effect: 'NoSchedule' }],
    addresses: [{ type: 'InternalIP', address: h.ip }],
    kubeletVersion: 'v1.31.4',
  };
}

/** What OpenShift's operator writes into the API server's config (apiServerArguments.etcd-servers). */
export function openshiftEtcdServers(all: readonly Host[] = CP): string[] {
  return [...all.map((o) => url(o.ip, 2379)), 'https://localhost:2379'].sort();
}

export function openshiftApiServer(h: Host): PodFacts {
  return {
    namespace: 'openshift-kube-apiserver',
    name: `kube-apiserver-${h.name}`,
    labels: { app: 'openshift-kube-apiserver', apiserver: 'true', revision: '7' },
    nodeName: h.name,
    hostIP: h.ip,
    containers: [
      {
        name: 'kube-apiserver',
        command: ['/bin/bash', '-ec'],
        args: [`exec hyperkube kube-apiserver --openshift-config=/etc/kubernetes/static-pod-resources/configmaps/config/config.yaml`],
      },
    ],
  };
}

export function openshiftEtcd(h: Host): PodFacts {
  return {
    namespace: 'openshift-etcd',
    name: `etcd-${h.name}`,
    labels: { app: 'etcd', 'k8s-app': 'etcd', etcd: 'true', revision: '5' },
    nodeName: h.name,
    hostIP: h.ip,
    containers: [{ name: 'etcd', command: ['/bin/sh', '-c', '#!/bin/sh\nset -euo pipefail\nexec etcd --logger=zap --log-level=info'] }],
  };
}

export function microk8sNode(h: Host): NodeFacts {
  return {
    name: h.name,
    labels: {
      'kubernetes.io/hostname': h.name,
      'microk8s.io/cluster': 'true',
      'node.kubernetes.io/microk8s-controlplane': 'microk8s-controlplane',
    },
    addresses: [
      { type: 'InternalIP', address: h.ip },
      { type: 'Hostname', address: h.name },
    ],
    kubeletVersion: 'v1.31.4',
  };
}
