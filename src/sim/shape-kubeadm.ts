// A kubeadm cluster as the API shows it: the control plane's static (mirror) pods in
// kube-system with labels component/tier, kube-proxy and CoreDNS, control-plane nodes
// labelled node-role.kubernetes.io/control-plane="" and tainted NoSchedule.
import { createHash } from 'node:crypto';
import { BASE_NAMESPACES, corednsPods, daemonSetPods, kubeletLabels, type ClusterShape, type NodeLook, type PodTemplate, type ShapeNode } from './shape-kit.js';
import { KUBERNETES_VERSION, STATIC_COMPONENTS, staticPodManifest, type ControlPlaneLayout, type StaticComponent } from './static-pods.js';

export interface KubeadmShapeOptions {
  /** The static pod layout of each control-plane node (its flags differ per node once faithful). */
  layoutFor(node: ShapeNode, index: number): ControlPlaneLayout;
  /** External etcd: no etcd pods. */
  externalEtcd: boolean;
  /** Each API server reads only the member beside it (`--etcd-servers=https://127.0.0.1:2379`). */
  localEtcd: boolean;
}

export function kubeadmNodeLook(n: ShapeNode): NodeLook {
  const labels = kubeletLabels(n);
  const taints: NodeLook['taints'] = [];
  if (n.role === 'control-plane') {
    labels['node-role.kubernetes.io/control-plane'] = '';
    labels['node.kubernetes.io/exclude-from-external-load-balancers'] = '';
    taints.push({ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' });
  }
  return {
    labels,
    annotations: {
      'kubeadm.alpha.kubernetes.io/cri-socket': 'unix:///var/run/containerd/containerd.sock',
      'node.alpha.kubernetes.io/ttl': '0',
      'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
    },
    taints,
    kubeletVersion: KUBERNETES_VERSION,
    osImage: 'Debian GNU/Linux 12 (bookworm)',
    containerRuntimeVersion: 'containerd://1.7.24',
    kernelVersion: '6.1.0-28-amd64',
  };
}

/** A static pod as its mirror pod is listed: the manifest's metadata, spec and `<component>-<node>`. */
export function mirrorPod(
  namespace: string,
  component: string,
  node: ShapeNode,
  manifest: { metadata: { labels: Record<string, string>; annotations?: Record<string, string> }; spec: Record<string, unknown> },
  health: PodTemplate['health'],
): PodTemplate {
  const name = `${component}-${node.name}`;
  const hash = createHash('md5').update(`${namespace}/${name}`).digest('hex');
  return {
    namespace,
    name,
    node: node.name,
    labels: manifest.metadata.labels,
    annotations: {
      ...manifest.metadata.annotations,
      'kubernetes.io/config.hash': hash,
      'kubernetes.io/config.mirror': hash,
      'kubernetes.io/config.source': 'file',
    },
    owner: { kind: 'Node' },
    spec: manifest.spec as PodTemplate['spec'],
    health,
  };
}

export function kubeadmShape(o: KubeadmShapeOptions): ClusterShape {
  const components: readonly StaticComponent[] = o.externalEtcd ? STATIC_COMPONENTS.filter((c) => c !== 'etcd') : STATIC_COMPONENTS;
  return {
    namespaces: BASE_NAMESPACES,
    node: (n) => kubeadmNodeLook(n),
    pods(nodes) {
      const pods: PodTemplate[] = [];
      const controlPlane = nodes.filter((n) => n.role === 'control-plane');
      controlPlane.forEach((n, i) => {
        const layout = o.layoutFor(n, i);
        for (const c of components) {
          const health = c === 'etcd' ? 'etcd' : c === 'kube-apiserver' ? (o.localEtcd ? 'apiserver+local-etcd' : 'apiserver') : 'node';
          pods.push(mirrorPod('kube-system', c, n, staticPodManifest(c, n, layout), health));
        }
      });
      pods.push(
        ...daemonSetPods(nodes, {
          namespace: 'kube-system',
          name: 'kube-proxy',
          labels: { 'k8s-app': 'kube-proxy' },
          hostNetwork: true,
          container: {
            name: 'kube-proxy',
            image: `registry.k8s.io/kube-proxy:${KUBERNETES_VERSION}`,
            command: ['/usr/local/bin/kube-proxy', '--config=/var/lib/kube-proxy/config.conf', '--hostname-override=$(NODE_NAME)'],
          },
        }),
      );
      pods.push(...corednsPods(nodes));
      return pods;
    },
  };
}
