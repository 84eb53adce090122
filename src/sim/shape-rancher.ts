// k3s and RKE2 as the API shows them. k3s runs the API server, scheduler and
// controller-manager inside one `k3s server` process (no control-plane pods; etcd, when
// there is any, in the same process); RKE2 runs them as static pods, etcd included, from
// /var/lib/rancher/rke2/agent/pod-manifests. Both label and annotate their nodes from the
// same code (k3s's node and etcd controllers), with `k3s` or `rke2` in the names.
import { createHash } from 'node:crypto';
import { mirrorPod } from './shape-kubeadm.js';
import {
  BASE_NAMESPACES,
  corednsPods,
  daemonSetPods,
  deploymentPods,
  hexOf,
  kubeletLabels,
  schedulable,
  type ClusterShape,
  type NodeLook,
  type PodTemplate,
  type ShapeNode,
} from './shape-kit.js';

export type RancherDistribution = 'k3s' | 'rke2';

export const RANCHER_VERSIONS: Record<RancherDistribution, string> = { k3s: 'v1.31.4+k3s1', rke2: 'v1.31.4+rke2r1' };

/** Where each distribution keeps its server state on a node. */
export function rancherDataDir(d: RancherDistribution): string {
  return `/var/lib/rancher/${d}`;
}

/** The etcd member name k3s and RKE2 give a server: its hostname and 8 random hex digits (stable here). */
export function rancherEtcdMemberName(nodeName: string): string {
  return `${nodeName}-${hexOf(`etcd-member/${nodeName}`, 8)}`;
}

export interface RancherShapeOptions {
  distribution: RancherDistribution;
  /** Servers run etcd (k3s --cluster-init, RKE2 always). */
  etcd: boolean;
  /** The first server's address: joining servers and agents name it in --server. */
  firstServer: string;
}

/** base32 of a sha256, as k3s writes node-config-hash. */
function configHash(seed: string): string {
  const bytes = createHash('sha256').update(seed).digest();
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  return out.padEnd(56, '=');
}

function nodeArgs(o: RancherShapeOptions, n: ShapeNode, index: number): string[] {
  // k3s masks secret values in the annotation.
  const join = ['--server', `https://${o.firstServer}:${o.distribution === 'rke2' ? 9345 : 6443}`, '--token', '********'];
  if (n.role === 'worker') return ['agent', ...join];
  if (index === 0) return o.distribution === 'k3s' && o.etcd ? ['server', '--cluster-init'] : ['server'];
  return ['server', ...join];
}

export function rancherNodeLook(o: RancherShapeOptions, n: ShapeNode, index: number): NodeLook {
  const d = o.distribution;
  const labels: Record<string, string> = {
    ...kubeletLabels(n),
    'beta.kubernetes.io/instance-type': d,
    'node.kubernetes.io/instance-type': d,
  };
  const annotations: Record<string, string> = {
    'alpha.kubernetes.io/provided-node-ip': n.address,
    'flannel.alpha.coreos.com/backend-type': 'vxlan',
    'flannel.alpha.coreos.com/kube-subnet-manager': 'true',
    'flannel.alpha.coreos.com/public-ip': n.address,
    [`${d}.io/hostname`]: n.name,
    [`${d}.io/internal-ip`]: n.address,
    [`${d}.io/node-args`]: JSON.stringify(nodeArgs(o, n, index)),
    [`${d}.io/node-config-hash`]: configHash(`${d}/${n.name}`),
    [`${d}.io/node-env`]: '{}',
    'node.alpha.kubernetes.io/ttl': '0',
    'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
  };
  if (n.role === 'control-plane') {
    labels['node-role.kubernetes.io/control-plane'] = 'true';
    labels['node-role.kubernetes.io/master'] = 'true';
    if (o.etcd) {
      labels['node-role.kubernetes.io/etcd'] = 'true';
      annotations[`etcd.${d}.cattle.io/node-name`] = rancherEtcdMemberName(n.name);
      annotations[`etcd.${d}.cattle.io/node-address`] = n.address;
    }
  }
  return {
    labels,
    annotations,
    taints: [],
    kubeletVersion: RANCHER_VERSIONS[d],
    osImage: 'Ubuntu 24.04.1 LTS',
    containerRuntimeVersion: 'containerd://1.7.23-k3s2',
    kernelVersion: '6.8.0-51-generic',
    providerID: `${d}://${n.name}`,
  };
}

function k3sPods(nodes: readonly ShapeNode[]): PodTemplate[] {
  const controlPlane = nodes.filter((n) => n.role === 'control-plane');
  return [
    ...corednsPods(nodes, { image: 'rancher/mirrored-coredns-coredns:1.12.0', replicas: 1 }),
    ...deploymentPods(controlPlane, {
      namespace: 'kube-system',
      name: 'local-path-provisioner',
      labels: { app: 'local-path-provisioner' },
      container: {
        name: 'local-path-provisioner',
        image: 'rancher/local-path-provisioner:v0.0.30',
        command: ['local-path-provisioner', 'start', '--config', '/etc/config/config.json'],
      },
    }),
    ...deploymentPods(controlPlane, {
      namespace: 'kube-system',
      name: 'metrics-server',
      labels: { 'k8s-app': 'metrics-server' },
      container: {
        name: 'metrics-server',
        image: 'rancher/mirrored-metrics-server:v0.7.2',
        args: [
          '--cert-dir=/tmp',
          '--secure-port=10250',
          '--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname',
          '--kubelet-use-node-status-port',
          '--metric-resolution=15s',
        ],
      },
    }),
    ...deploymentPods(schedulable(nodes), {
      namespace: 'kube-system',
      name: 'traefik',
      labels: { 'app.kubernetes.io/instance': 'traefik-kube-system', 'app.kubernetes.io/name': 'traefik' },
      container: {
        name: 'traefik',
        image: 'rancher/mirrored-library-traefik:3.3.2',
        args: ['--entryPoints.web.address=:8000/tcp', '--entryPoints.websecure.address=:8443/tcp'],
      },
    }),
    ...daemonSetPods(nodes, {
      namespace: 'kube-system',
      name: 'svclb-traefik-' + hexOf('svclb-traefik', 8),
      labels: {
        app: 'svclb-traefik-' + hexOf('svclb-traefik', 8),
        'svccontroller.k3s.cattle.io/svcname': 'traefik',
        'svccontroller.k3s.cattle.io/svcnamespace': 'kube-system',
      },
      hostNetwork: false,
      container: { name: 'lb-tcp-80', image: 'rancher/klipper-lb:v0.4.9' },
    }),
  ];
}

function rke2StaticPods(n: ShapeNode, withEtcd: boolean): PodTemplate[] {
  const data = rancherDataDir('rke2');
  const tls = `${data}/server/tls`;
  const version = RANCHER_VERSIONS.rke2;
  const image = `index.docker.io/rancher/hardened-kubernetes:${version.replace('+', '-')}-build20250115`;
  const manifest = (component: string, command: string[], args: string[], img: string) => ({
    metadata: { labels: { component, tier: 'control-plane' }, annotations: {} },
    spec: {
      containers: [{ name: component, image: img, command, args }],
      hostNetwork: true,
      priorityClassName: 'system-cluster-critical',
    },
  });
  const pods: PodTemplate[] = [];
  if (withEtcd) {
    pods.push(
      mirrorPod(
        'kube-system',
        'etcd',
        n,
        manifest('etcd', ['etcd'], [`--config-file=${data}/server/db/etcd/config`], 'index.docker.io/rancher/hardened-etcd:v3.5.16-k3s1-build20241106'),
        'etcd',
      ),
    );
  }
  pods.push(
    mirrorPod(
      'kube-system',
      'kube-apiserver',
      n,
      manifest(
        'kube-apiserver',
        ['kube-apiserver'],
        [
          '--admission-control-config-file=/etc/rancher/rke2/rke2-pss.yaml',
          '--advertise-address=' + n.address,
          '--allow-privileged=true',
          '--anonymous-auth=false',
          '--api-audiences=https://kubernetes.default.svc.cluster.local,rke2',
          '--authorization-mode=Node,RBAC',
          '--bind-address=0.0.0.0',
          `--cert-dir=${tls}/temporary-certs`,
          `--client-ca-file=${tls}/client-ca.crt`,
          '--egress-selector-config-file=/var/lib/rancher/rke2/server/etc/egress-selector-config.yaml',
          '--enable-admission-plugins=NodeRestriction',
          '--enable-aggregator-routing=true',
          '--enable-bootstrap-token-auth=true',
          `--etcd-cafile=${tls}/etcd/server-ca.crt`,
          `--etcd-certfile=${tls}/etcd/client.crt`,
          `--etcd-keyfile=${tls}/etcd/client.key`,
          '--etcd-servers=https://127.0.0.1:2379',
          `--kubelet-certificate-authority=${tls}/server-ca.crt`,
          `--kubelet-client-certificate=${tls}/client-kube-apiserver.crt`,
          `--kubelet-client-key=${tls}/client-kube-apiserver.key`,
          '--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname',
          '--profiling=false',
          `--proxy-client-cert-file=${tls}/client-auth-proxy.crt`,
          `--proxy-client-key-file=${tls}/client-auth-proxy.key`,
          `--requestheader-client-ca-file=${tls}/request-header-ca.crt`,
          '--secure-port=6443',
          '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
          `--service-account-key-file=${tls}/service.key`,
          `--service-account-signing-key-file=${tls}/service.current.key`,
          '--service-cluster-ip-range=10.43.0.0/16',
          '--service-node-port-range=30000-32767',
          `--tls-cert-file=${tls}/serving-kube-apiserver.crt`,
          `--tls-private-key-file=${tls}/serving-kube-apiserver.key`,
        ],
        image,
      ),
      'apiserver+local-etcd',
    ),
    mirrorPod(
      'kube-system',
      'kube-controller-manager',
      n,
      manifest(
        'kube-controller-manager',
        ['kube-controller-manager'],
        ['--bind-address=127.0.0.1', `--kubeconfig=${data}/server/cred/controller.kubeconfig`, '--leader-elect=true', '--secure-port=10257'],
        image,
      ),
      'node',
    ),
    mirrorPod(
      'kube-system',
      'kube-scheduler',
      n,
      manifest(
        'kube-scheduler',
        ['kube-scheduler'],
        ['--bind-address=127.0.0.1', `--kubeconfig=${data}/server/cred/scheduler.kubeconfig`, '--leader-elect=true', '--secure-port=10259'],
        image,
      ),
      'node',
    ),
    mirrorPod(
      'kube-system',
      'cloud-controller-manager',
      n,
      manifest(
        'cloud-controller-manager',
        ['cloud-controller-manager'],
        ['--bind-address=127.0.0.1', '--cloud-provider=rke2', `--kubeconfig=${data}/server/cred/cloud-controller.kubeconfig`, '--secure-port=10258'],
        'index.docker.io/rancher/rke2-cloud-provider:v1.31.2-0.20241016053446-0955fa330f90-build20241016',
      ),
      'node',
    ),
  );
  return pods;
}

function rke2KubeProxy(n: ShapeNode): PodTemplate {
  return mirrorPod(
    'kube-system',
    'kube-proxy',
    n,
    {
      metadata: { labels: { component: 'kube-proxy', tier: 'control-plane' }, annotations: {} },
      spec: {
        containers: [
          {
            name: 'kube-proxy',
            image: `index.docker.io/rancher/hardened-kubernetes:${RANCHER_VERSIONS.rke2.replace('+', '-')}-build20250115`,
            command: ['kube-proxy'],
            args: [
              '--cluster-cidr=10.42.0.0/16',
              '--conntrack-max-per-core=0',
              `--hostname-override=${n.name}`,
              '--kubeconfig=/var/lib/rancher/rke2/agent/kubeproxy.kubeconfig',
              '--proxy-mode=iptables',
            ],
          },
        ],
        hostNetwork: true,
        priorityClassName: 'system-cluster-critical',
      },
    },
    'node',
  );
}

export function rancherShape(o: RancherShapeOptions): ClusterShape {
  return {
    namespaces: BASE_NAMESPACES,
    node: (n, index) => rancherNodeLook(o, n, index),
    pods(nodes) {
      if (o.distribution === 'k3s') return k3sPods(nodes);
      const controlPlane = nodes.filter((n) => n.role === 'control-plane');
      return [
        ...controlPlane.flatMap((n) => rke2StaticPods(n, o.etcd)),
        ...nodes.map(rke2KubeProxy),
        ...corednsPods(nodes, { name: 'rke2-coredns-rke2-coredns', image: 'rancher/hardened-coredns:v1.12.0-build20241126' }),
        ...daemonSetPods(nodes, {
          namespace: 'kube-system',
          name: 'rke2-canal',
          labels: { 'k8s-app': 'canal' },
          hostNetwork: true,
          container: { name: 'calico-node', image: 'rancher/hardened-calico:v3.29.1-build20241218' },
        }),
        ...deploymentPods(controlPlane, {
          namespace: 'kube-system',
          name: 'rke2-metrics-server',
          labels: { app: 'rke2-metrics-server' },
          container: { name: 'metrics-server', image: 'rancher/hardened-k8s-metrics-server:v0.7.2-build20241008' },
        }),
      ];
    },
  };
}
