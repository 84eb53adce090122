// Talos, MicroK8s, OpenShift and a managed (EKS-like) cluster as the API shows them.
// Talos: control-plane static pods rendered by machined (labels k8s-app and
// app.kubernetes.io/managed-by=Talos), etcd a host service with no pod. MicroK8s: one
// kubelite process, no control-plane pods, its own node labels and no node-role. OpenShift:
// the control plane in openshift-* namespaces. Managed: no control-plane node or pod at all.
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

export const TALOS_KUBERNETES_VERSION = 'v1.32.0';
export const MICROK8S_VERSION = 'v1.31.4';
export const OPENSHIFT_KUBERNETES_VERSION = 'v1.31.4';
export const EKS_VERSION = 'v1.31.4-eks-2d5f260';
const EKS_KUBELET_VERSION = 'v1.31.4-eks-aeac579';

/** Where Talos keeps the API server's secrets on a node (not reachable from a shell: there is none). */
const TALOS_APISERVER_SECRETS = '/system/secrets/kubernetes/kube-apiserver';

// --- Talos -----------------------------------------------------------------------

function talosLabels(component: string): Record<string, string> {
  return {
    tier: 'control-plane',
    'k8s-app': component,
    component,
    'app.kubernetes.io/name': component,
    'app.kubernetes.io/version': TALOS_KUBERNETES_VERSION.slice(1),
    'app.kubernetes.io/component': 'control-plane',
    'app.kubernetes.io/managed-by': 'Talos',
  };
}

function talosStaticPod(n: ShapeNode, component: string, args: string[], health: PodTemplate['health']): PodTemplate {
  return mirrorPod(
    'kube-system',
    component,
    n,
    {
      metadata: { labels: talosLabels(component), annotations: {} },
      spec: {
        containers: [{ name: component, image: `registry.k8s.io/${component}:${TALOS_KUBERNETES_VERSION}`, command: [`/usr/local/bin/${component}`, ...args] }],
        hostNetwork: true,
        priorityClassName: 'system-cluster-critical',
      },
    },
    health,
  );
}

export function talosShape(): ClusterShape {
  const s = (file: string) => `${TALOS_APISERVER_SECRETS}/${file}`;
  return {
    namespaces: BASE_NAMESPACES,
    node(n): NodeLook {
      const labels = kubeletLabels(n);
      const taints: NodeLook['taints'] = [];
      if (n.role === 'control-plane') {
        labels['node-role.kubernetes.io/control-plane'] = '';
        taints.push({ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' });
      }
      return {
        labels,
        annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'talos.dev/owned-labels': '["node-role.kubernetes.io/control-plane"]' },
        taints,
        kubeletVersion: TALOS_KUBERNETES_VERSION,
        osImage: 'Talos (v1.9.1)',
        containerRuntimeVersion: 'containerd://2.0.1',
        kernelVersion: '6.12.6-talos',
      };
    },
    pods(nodes) {
      const controlPlane = nodes.filter((n) => n.role === 'control-plane');
      return [
        ...controlPlane.flatMap((n) => [
          talosStaticPod(
            n,
            'kube-apiserver',
            [
              '--allow-privileged=true',
              '--anonymous-auth=false',
              '--authorization-mode=Node,RBAC',
              `--advertise-address=${n.address}`,
              '--bind-address=0.0.0.0',
              `--client-ca-file=${s('ca.crt')}`,
              '--enable-admission-plugins=NodeRestriction',
              `--etcd-cafile=${s('etcd-client-ca.crt')}`,
              `--etcd-certfile=${s('etcd-client.crt')}`,
              `--etcd-keyfile=${s('etcd-client.key')}`,
              '--etcd-servers=https://localhost:2379',
              '--secure-port=6443',
              '--service-cluster-ip-range=10.96.0.0/12',
              `--tls-cert-file=${s('apiserver.crt')}`,
              '--tls-min-version=VersionTLS12',
              `--tls-private-key-file=${s('apiserver.key')}`,
            ],
            'apiserver+local-etcd',
          ),
          talosStaticPod(
            n,
            'kube-controller-manager',
            [
              '--use-service-account-credentials',
              '--allocate-node-cidrs=true',
              '--bind-address=127.0.0.1',
              '--leader-elect=true',
              '--tls-min-version=VersionTLS13',
            ],
            'node',
          ),
          talosStaticPod(n, 'kube-scheduler', ['--bind-address=127.0.0.1', '--leader-elect=true', '--tls-min-version=VersionTLS13'], 'node'),
        ]),
        ...daemonSetPods(nodes, {
          namespace: 'kube-system',
          name: 'kube-proxy',
          labels: { 'k8s-app': 'kube-proxy', tier: 'node' },
          hostNetwork: true,
          container: {
            name: 'kube-proxy',
            image: `registry.k8s.io/kube-proxy:${TALOS_KUBERNETES_VERSION}`,
            command: ['/usr/local/bin/kube-proxy', '--cluster-cidr=10.244.0.0/16'],
          },
        }),
        ...daemonSetPods(nodes, {
          namespace: 'kube-system',
          name: 'kube-flannel',
          labels: { 'k8s-app': 'flannel' },
          hostNetwork: true,
          container: { name: 'kube-flannel', image: 'ghcr.io/siderolabs/flannel:v0.26.1' },
        }),
        ...corednsPods(nodes),
      ];
    },
  };
}

// --- MicroK8s --------------------------------------------------------------------

export function microk8sShape(): ClusterShape {
  return {
    namespaces: BASE_NAMESPACES,
    node(n): NodeLook {
      const labels: Record<string, string> = { ...kubeletLabels(n), 'microk8s.io/cluster': 'true' };
      if (n.role === 'control-plane') labels['node.kubernetes.io/microk8s-controlplane'] = 'microk8s-controlplane';
      else labels['node.kubernetes.io/microk8s-worker'] = 'microk8s-worker';
      return {
        labels,
        annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' },
        taints: [],
        kubeletVersion: MICROK8S_VERSION,
        osImage: 'Ubuntu 22.04.5 LTS',
        containerRuntimeVersion: 'containerd://1.6.28',
        kernelVersion: '5.15.0-130-generic',
      };
    },
    pods(nodes) {
      return [
        ...daemonSetPods(nodes, {
          namespace: 'kube-system',
          name: 'calico-node',
          labels: { 'k8s-app': 'calico-node' },
          hostNetwork: true,
          container: { name: 'calico-node', image: 'docker.io/calico/node:v3.28.1' },
        }),
        ...deploymentPods(schedulable(nodes), {
          namespace: 'kube-system',
          name: 'calico-kube-controllers',
          labels: { 'k8s-app': 'calico-kube-controllers' },
          container: { name: 'calico-kube-controllers', image: 'docker.io/calico/kube-controllers:v3.28.1' },
        }),
        ...corednsPods(nodes, { image: 'coredns/coredns:1.10.1', replicas: 1 }),
      ];
    },
  };
}

// --- OpenShift -------------------------------------------------------------------

export const OPENSHIFT_NAMESPACES = [
  ...BASE_NAMESPACES,
  'openshift-apiserver',
  'openshift-etcd',
  'openshift-kube-apiserver',
  'openshift-kube-controller-manager',
  'openshift-kube-scheduler',
].sort();

export interface OpenShiftShapeOptions {
  /** Every etcd member's client URL, in the order the operator lists them. */
  etcdMembers: string[];
}

export function openshiftShape(o: OpenShiftShapeOptions): ClusterShape {
  const revision = '7';
  return {
    namespaces: OPENSHIFT_NAMESPACES,
    node(n): NodeLook {
      const labels: Record<string, string> = { ...kubeletLabels(n), 'node.openshift.io/os_id': 'rhcos' };
      const taints: NodeLook['taints'] = [];
      if (n.role === 'control-plane') {
        labels['node-role.kubernetes.io/control-plane'] = '';
        labels['node-role.kubernetes.io/master'] = '';
        taints.push({ key: 'node-role.kubernetes.io/master', effect: 'NoSchedule' });
      } else {
        labels['node-role.kubernetes.io/worker'] = '';
      }
      return {
        labels,
        annotations: {
          'machineconfiguration.openshift.io/state': 'Done',
          'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
        },
        taints,
        kubeletVersion: OPENSHIFT_KUBERNETES_VERSION,
        osImage: 'Red Hat Enterprise Linux CoreOS 418.94.202501221327-0',
        containerRuntimeVersion: 'cri-o://1.31.4-3.rhaos4.18.gitd2fc7e4.el9',
        kernelVersion: '5.14.0-427.50.1.el9_4.x86_64',
      };
    },
    pods(nodes) {
      const controlPlane = nodes.filter((n) => n.role === 'control-plane');
      const resources = '/etc/kubernetes/static-pod-resources';
      const etcdServers = [...o.etcdMembers, 'https://localhost:2379'].join(',');
      return [
        ...controlPlane.flatMap((n) => [
          mirrorPod(
            'openshift-kube-apiserver',
            'kube-apiserver',
            n,
            {
              metadata: {
                labels: { app: 'openshift-kube-apiserver', apiserver: 'true', revision },
                annotations: { 'kubectl.kubernetes.io/default-container': 'kube-apiserver' },
              },
              spec: {
                containers: [
                  {
                    name: 'kube-apiserver',
                    image: `quay.io/openshift-release-dev/ocp-v4.0-art-dev@sha256:${hexOf('ocp-kas', 64)}`,
                    command: ['/bin/bash', '-ec'],
                    // The operator renders etcd-servers into config.yaml; the simulator shows the
                    // same list on the command line so that a reader of the pod finds it in one place.
                    args: [
                      `exec hyperkube kube-apiserver --openshift-config=${resources}/configmaps/config/config.yaml --advertise-address=\${HOST_IP} -v=2 --permit-address-sharing --etcd-servers=${etcdServers}`,
                    ],
                    livenessProbe: { httpGet: { path: 'livez?exclude=etcd', port: 6443, scheme: 'HTTPS' } },
                    readinessProbe: { httpGet: { path: 'readyz', port: 6443, scheme: 'HTTPS' } },
                  },
                ],
                hostNetwork: true,
                priorityClassName: 'system-node-critical',
              },
            },
            'apiserver',
          ),
          mirrorPod(
            'openshift-etcd',
            'etcd',
            n,
            {
              metadata: {
                labels: { app: 'etcd', 'k8s-app': 'etcd', etcd: 'true', revision },
                annotations: { 'kubectl.kubernetes.io/default-container': 'etcd' },
              },
              spec: {
                containers: [
                  {
                    name: 'etcd',
                    image: `quay.io/openshift-release-dev/ocp-v4.0-art-dev@sha256:${hexOf('ocp-etcd', 64)}`,
                    command: ['/bin/sh', '-c'],
                    args: [
                      `exec etcd --logger=zap --log-level=info --experimental-initial-corrupt-check=true --snapshot-count=10000 --initial-advertise-peer-urls=https://${n.address}:2380 --cert-file=${resources}/secrets/etcd-all-certs/etcd-serving-${n.name}.crt --key-file=${resources}/secrets/etcd-all-certs/etcd-serving-${n.name}.key --trusted-ca-file=${resources}/configmaps/etcd-all-bundles/server-ca-bundle.crt --client-cert-auth=true --peer-client-cert-auth=true --advertise-client-urls=https://${n.address}:2379 --listen-client-urls=https://0.0.0.0:2379 --listen-peer-urls=https://0.0.0.0:2380 --listen-metrics-urls=https://0.0.0.0:9978`,
                    ],
                  },
                ],
                hostNetwork: true,
                priorityClassName: 'system-node-critical',
              },
            },
            'etcd',
          ),
        ]),
        ...corednsPods(nodes, { name: 'dns-default', image: `quay.io/openshift-release-dev/ocp-v4.0-art-dev@sha256:${hexOf('ocp-dns', 64)}` }).map((p) => ({
          ...p,
          namespace: 'openshift-dns',
        })),
      ];
    },
  };
}

// --- managed (EKS-like) ----------------------------------------------------------

export function managedShape(): ClusterShape {
  return {
    namespaces: BASE_NAMESPACES,
    node(n, index): NodeLook {
      const zone = `eu-west-1${'abc'[index % 3]}`;
      return {
        labels: {
          ...kubeletLabels(n),
          'eks.amazonaws.com/capacityType': 'ON_DEMAND',
          'eks.amazonaws.com/nodegroup': 'default',
          'eks.amazonaws.com/nodegroup-image': 'ami-0c4f1d5b6c4f1a2b3',
          'eks.amazonaws.com/sourceLaunchTemplateId': 'lt-0a1b2c3d4e5f60718',
          'k8s.io/cloud-provider-aws': hexOf('cloud-provider-aws', 32),
          'node.kubernetes.io/instance-type': 'm5.large',
          'topology.kubernetes.io/region': 'eu-west-1',
          'topology.kubernetes.io/zone': zone,
        },
        annotations: { 'alpha.kubernetes.io/provided-node-ip': n.address, 'node.alpha.kubernetes.io/ttl': '0' },
        taints: [],
        kubeletVersion: EKS_KUBELET_VERSION,
        osImage: 'Amazon Linux 2023.6.20250107',
        containerRuntimeVersion: 'containerd://1.7.25',
        kernelVersion: '6.1.119-129.201.amzn2023.x86_64',
        providerID: `aws:///${zone}/i-0${hexOf(`instance/${n.name}`, 16)}`,
      };
    },
    pods(nodes) {
      return [
        ...daemonSetPods(nodes, {
          namespace: 'kube-system',
          name: 'aws-node',
          labels: { 'k8s-app': 'aws-node', 'app.kubernetes.io/name': 'aws-node' },
          hostNetwork: true,
          container: { name: 'aws-node', image: '602401143452.dkr.ecr.eu-west-1.amazonaws.com/amazon-k8s-cni:v1.19.0-eksbuild.1' },
        }),
        ...daemonSetPods(nodes, {
          namespace: 'kube-system',
          name: 'kube-proxy',
          labels: { 'k8s-app': 'kube-proxy' },
          hostNetwork: true,
          container: {
            name: 'kube-proxy',
            image: '602401143452.dkr.ecr.eu-west-1.amazonaws.com/eks/kube-proxy:v1.31.3-minimal-eksbuild.2',
            command: ['kube-proxy', '--v=2', '--config=/var/lib/kube-proxy-config/config', '--hostname-override=$(NODE_NAME)'],
          },
        }),
        ...corednsPods(nodes, { image: '602401143452.dkr.ecr.eu-west-1.amazonaws.com/eks/coredns:v1.11.3-eksbuild.2' }),
      ];
    },
  };
}
