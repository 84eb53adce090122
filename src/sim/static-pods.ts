// The control plane's static pods as kubeadm writes them to /etc/kubernetes/manifests.
// One source for both the manifest files on disk and the mirror pods the simulated API
// server lists in kube-system, so discovery from either place finds the same flags.
import { join } from 'node:path';

export const KUBERNETES_VERSION = 'v1.32.0';
const ETCD_IMAGE = 'registry.k8s.io/etcd:3.5.16-0';

export interface ControlPlaneLayout {
  /** Stands in for /etc/kubernetes/pki. */
  pkiDir: string;
  /** Stands in for /etc/kubernetes (the component kubeconfigs live here). */
  kubeconfigDir: string;
  /** Every etcd member's client URL: what --etcd-servers lists. */
  etcdServers: string[];
  /** name=peerURL for each etcd member. */
  etcdInitialCluster: string;
  /**
   * The member joined a running cluster (`kubeadm join --control-plane`): kubeadm then writes
   * `--initial-cluster-state=existing` and an --initial-cluster of the members so far.
   */
  etcdJoined?: boolean;
}

export interface ControlPlaneHost {
  name: string;
  address: string;
}

export type StaticComponent = 'etcd' | 'kube-apiserver' | 'kube-controller-manager' | 'kube-scheduler';
export const STATIC_COMPONENTS: readonly StaticComponent[] = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler'];

export interface StaticPodManifest {
  apiVersion: 'v1';
  kind: 'Pod';
  metadata: { name: string; namespace: 'kube-system'; labels: Record<string, string>; annotations: Record<string, string> };
  spec: Record<string, unknown>;
  status: Record<string, never>;
}

function probe(host: string, path: string, port: number, scheme: 'HTTP' | 'HTTPS', o: { failureThreshold: number; initialDelaySeconds?: number }) {
  return {
    failureThreshold: o.failureThreshold,
    httpGet: { host, path, port, scheme },
    ...(o.initialDelaySeconds ? { initialDelaySeconds: o.initialDelaySeconds } : {}),
    periodSeconds: 10,
    timeoutSeconds: 15,
  };
}

function hostPathVolume(name: string, path: string, type: string) {
  return { hostPath: { path, type }, name };
}

function podSpec(container: Record<string, unknown>, volumes: Record<string, unknown>[]) {
  return {
    containers: [{ imagePullPolicy: 'IfNotPresent', ...container }],
    hostNetwork: true,
    priority: 2000001000,
    priorityClassName: 'system-node-critical',
    securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
    volumes,
  };
}

function commandFor(component: StaticComponent, host: ControlPlaneHost, l: ControlPlaneLayout): string[] {
  const pki = (file: string) => join(l.pkiDir, file);
  switch (component) {
    case 'kube-apiserver':
      return [
        'kube-apiserver',
        `--advertise-address=${host.address}`,
        '--allow-privileged=true',
        '--authorization-mode=Node,RBAC',
        `--client-ca-file=${pki('ca.crt')}`,
        '--enable-admission-plugins=NodeRestriction',
        '--enable-bootstrap-token-auth=true',
        `--etcd-cafile=${pki('etcd/ca.crt')}`,
        `--etcd-certfile=${pki('apiserver-etcd-client.crt')}`,
        `--etcd-keyfile=${pki('apiserver-etcd-client.key')}`,
        `--etcd-servers=${l.etcdServers.join(',')}`,
        `--kubelet-client-certificate=${pki('apiserver-kubelet-client.crt')}`,
        `--kubelet-client-key=${pki('apiserver-kubelet-client.key')}`,
        '--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname',
        `--proxy-client-cert-file=${pki('front-proxy-client.crt')}`,
        `--proxy-client-key-file=${pki('front-proxy-client.key')}`,
        '--requestheader-allowed-names=front-proxy-client',
        `--requestheader-client-ca-file=${pki('front-proxy-ca.crt')}`,
        '--requestheader-extra-headers-prefix=X-Remote-Extra-',
        '--requestheader-group-headers=X-Remote-Group',
        '--requestheader-username-headers=X-Remote-User',
        '--secure-port=6443',
        '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
        `--service-account-key-file=${pki('sa.pub')}`,
        `--service-account-signing-key-file=${pki('sa.key')}`,
        '--service-cluster-ip-range=10.96.0.0/12',
        `--tls-cert-file=${pki('apiserver.crt')}`,
        `--tls-private-key-file=${pki('apiserver.key')}`,
      ];
    case 'etcd':
      return [
        'etcd',
        `--advertise-client-urls=https://${host.address}:2379`,
        `--cert-file=${pki('etcd/server.crt')}`,
        '--client-cert-auth=true',
        '--data-dir=/var/lib/etcd',
        '--experimental-initial-corrupt-check=true',
        '--experimental-watch-progress-notify-interval=5s',
        `--initial-advertise-peer-urls=https://${host.address}:2380`,
        `--initial-cluster=${l.etcdInitialCluster}`,
        ...(l.etcdJoined ? ['--initial-cluster-state=existing'] : []),
        `--key-file=${pki('etcd/server.key')}`,
        `--listen-client-urls=https://127.0.0.1:2379,https://${host.address}:2379`,
        '--listen-metrics-urls=http://127.0.0.1:2381',
        `--listen-peer-urls=https://${host.address}:2380`,
        `--name=${host.name}`,
        `--peer-cert-file=${pki('etcd/peer.crt')}`,
        '--peer-client-cert-auth=true',
        `--peer-key-file=${pki('etcd/peer.key')}`,
        `--peer-trusted-ca-file=${pki('etcd/ca.crt')}`,
        '--snapshot-count=10000',
        `--trusted-ca-file=${pki('etcd/ca.crt')}`,
      ];
    case 'kube-controller-manager':
      return [
        'kube-controller-manager',
        '--allocate-node-cidrs=true',
        `--authentication-kubeconfig=${join(l.kubeconfigDir, 'controller-manager.conf')}`,
        `--authorization-kubeconfig=${join(l.kubeconfigDir, 'controller-manager.conf')}`,
        '--bind-address=127.0.0.1',
        `--client-ca-file=${pki('ca.crt')}`,
        '--cluster-cidr=10.244.0.0/16',
        '--cluster-name=kubernetes',
        `--cluster-signing-cert-file=${pki('ca.crt')}`,
        `--cluster-signing-key-file=${pki('ca.key')}`,
        '--controllers=*,bootstrapsigner,tokencleaner',
        `--kubeconfig=${join(l.kubeconfigDir, 'controller-manager.conf')}`,
        '--leader-elect=true',
        `--requestheader-client-ca-file=${pki('front-proxy-ca.crt')}`,
        `--root-ca-file=${pki('ca.crt')}`,
        `--service-account-private-key-file=${pki('sa.key')}`,
        '--service-cluster-ip-range=10.96.0.0/12',
        '--use-service-account-credentials=true',
      ];
    case 'kube-scheduler':
      return [
        'kube-scheduler',
        `--authentication-kubeconfig=${join(l.kubeconfigDir, 'scheduler.conf')}`,
        `--authorization-kubeconfig=${join(l.kubeconfigDir, 'scheduler.conf')}`,
        '--bind-address=127.0.0.1',
        `--kubeconfig=${join(l.kubeconfigDir, 'scheduler.conf')}`,
        '--leader-elect=true',
      ];
  }
}

const PROBES: Record<StaticComponent, (address: string) => Record<string, unknown>> = {
  'kube-apiserver': (a) => ({
    livenessProbe: probe(a, '/livez', 6443, 'HTTPS', { failureThreshold: 8, initialDelaySeconds: 10 }),
    readinessProbe: probe(a, '/readyz', 6443, 'HTTPS', { failureThreshold: 3 }),
    startupProbe: probe(a, '/livez', 6443, 'HTTPS', { failureThreshold: 24, initialDelaySeconds: 10 }),
  }),
  etcd: () => ({
    livenessProbe: probe('127.0.0.1', '/livez', 2381, 'HTTP', { failureThreshold: 8, initialDelaySeconds: 10 }),
    readinessProbe: probe('127.0.0.1', '/readyz', 2381, 'HTTP', { failureThreshold: 3 }),
    startupProbe: probe('127.0.0.1', '/readyz', 2381, 'HTTP', { failureThreshold: 24, initialDelaySeconds: 10 }),
  }),
  'kube-controller-manager': () => ({
    livenessProbe: probe('127.0.0.1', '/healthz', 10257, 'HTTPS', { failureThreshold: 8, initialDelaySeconds: 10 }),
    startupProbe: probe('127.0.0.1', '/healthz', 10257, 'HTTPS', { failureThreshold: 24, initialDelaySeconds: 10 }),
  }),
  'kube-scheduler': () => ({
    livenessProbe: probe('127.0.0.1', '/livez', 10259, 'HTTPS', { failureThreshold: 8, initialDelaySeconds: 10 }),
    readinessProbe: probe('127.0.0.1', '/readyz', 10259, 'HTTPS', { failureThreshold: 3 }),
    startupProbe: probe('127.0.0.1', '/livez', 10259, 'HTTPS', { failureThreshold: 24, initialDelaySeconds: 10 }),
  }),
};

const REQUESTS: Record<StaticComponent, Record<string, string>> = {
  'kube-apiserver': { cpu: '250m' },
  etcd: { cpu: '100m', memory: '100Mi' },
  'kube-controller-manager': { cpu: '200m' },
  'kube-scheduler': { cpu: '100m' },
};

function image(component: StaticComponent): string {
  return component === 'etcd' ? ETCD_IMAGE : `registry.k8s.io/${component}:${KUBERNETES_VERSION}`;
}

function volumesFor(component: StaticComponent, l: ControlPlaneLayout) {
  const certs = hostPathVolume('k8s-certs', l.pkiDir, 'DirectoryOrCreate');
  const caCerts = hostPathVolume('ca-certs', '/etc/ssl/certs', 'DirectoryOrCreate');
  switch (component) {
    case 'etcd':
      return [hostPathVolume('etcd-certs', join(l.pkiDir, 'etcd'), 'DirectoryOrCreate'), hostPathVolume('etcd-data', '/var/lib/etcd', 'DirectoryOrCreate')];
    case 'kube-apiserver':
      return [caCerts, certs];
    case 'kube-controller-manager':
      return [caCerts, certs, hostPathVolume('kubeconfig', join(l.kubeconfigDir, 'controller-manager.conf'), 'FileOrCreate')];
    case 'kube-scheduler':
      return [hostPathVolume('kubeconfig', join(l.kubeconfigDir, 'scheduler.conf'), 'FileOrCreate')];
  }
}

/** The manifest kubeadm writes for `component` on control-plane host `host`. */
export function staticPodManifest(component: StaticComponent, host: ControlPlaneHost, l: ControlPlaneLayout): StaticPodManifest {
  const annotations: Record<string, string> =
    component === 'kube-apiserver'
      ? { 'kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint': `${host.address}:6443` }
      : component === 'etcd'
        ? { 'kubeadm.kubernetes.io/etcd.advertise-client-urls': `https://${host.address}:2379` }
        : {};
  const volumes = volumesFor(component, l);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: component, namespace: 'kube-system', labels: { component, tier: 'control-plane' }, annotations },
    spec: podSpec(
      {
        command: commandFor(component, host, l),
        image: image(component),
        name: component,
        resources: { requests: REQUESTS[component] },
        ...PROBES[component](host.address),
        volumeMounts: volumes.map((v) => ({
          mountPath: v.hostPath.path,
          name: v.name,
          ...(v.name === 'kubeconfig' || v.name.endsWith('certs') ? { readOnly: true } : {}),
        })),
      },
      volumes,
    ),
    status: {},
  };
}
