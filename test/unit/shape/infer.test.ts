import { describe, expect, it } from 'vitest';
import { inferShape } from '../../../src/shape/infer.js';
import type { ShapeEvidence } from '../../../src/shape/infer.js';
import type { Shape } from '../../../src/shape/types.js';
import {
  CP,
  k3sNode,
  kubeadmApiServer,
  kubeadmCluster,
  kubeadmEtcd,
  kubeadmNode,
  microk8sNode,
  openshiftApiServer,
  openshiftEtcd,
  openshiftNode,
  rke2ApiServer,
  rke2Etcd,
  talosApiServer,
  talosNode,
} from './fixtures.js';

const kubeadm = kubeadmCluster();
const MANIFESTS = '/etc/kubernetes/manifests';

interface Row {
  name: string;
  evidence: ShapeEvidence;
  expect: Pick<Shape, 'distribution' | 'datastore' | 'vantage'> & { localNode?: string };
  /** Each must appear in the evidence lines. */
  says?: (string | RegExp)[];
}

const rows: Row[] = [
  {
    name: 'kubeadm stacked, from a jump host',
    evidence: { nodes: kubeadm.nodes, pods: kubeadm.pods, gitVersion: 'v1.31.4', server: 'https://10.0.0.10:6443' },
    expect: { distribution: 'kubeadm', datastore: 'etcd-stacked', vantage: 'jump-host' },
    says: [
      'kubeadm: pod annotation kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint (3 pods); pod label tier=control-plane (6 pods); pod annotation kubeadm.kubernetes.io/etcd.advertise-client-urls (3 pods)',
      /datastore etcd-stacked: etcd pods etcd-cp-1, etcd-cp-2, etcd-cp-3/,
      /vantage jump-host: no service-account token and no control-plane files on this machine/,
    ],
  },
  {
    name: 'kubeadm stacked, from cp-1 (named by its etcd manifest)',
    evidence: {
      nodes: kubeadm.nodes,
      pods: kubeadm.pods,
      local: {
        hostname: 'ip-10-0-0-11',
        existing: [`${MANIFESTS}/kube-apiserver.yaml`, `${MANIFESTS}/etcd.yaml`, '/etc/kubernetes/admin.conf'],
        manifests: [
          { path: `${MANIFESTS}/kube-apiserver.yaml`, pod: kubeadmApiServer(CP[0]!) },
          { path: `${MANIFESTS}/etcd.yaml`, pod: kubeadmEtcd(CP[0]!) },
        ],
      },
    },
    expect: { distribution: 'kubeadm', datastore: 'etcd-stacked', vantage: 'control-plane-node', localNode: 'cp-1' },
    says: [/vantage control-plane node cp-1 \(by advertise address 10\.0\.0\.11 in \/etc\/kubernetes\/manifests\/kube-apiserver\.yaml\)/],
  },
  {
    name: 'kubeadm on cp-1 with its API server down: the etcd manifest names the node',
    evidence: {
      local: {
        existing: [`${MANIFESTS}/kube-apiserver.yaml`, `${MANIFESTS}/etcd.yaml`],
        manifests: [
          { path: `${MANIFESTS}/kube-apiserver.yaml`, pod: kubeadmApiServer(CP[0]!) },
          { path: `${MANIFESTS}/etcd.yaml`, pod: kubeadmEtcd(CP[0]!) },
        ],
      },
    },
    expect: { distribution: 'kubeadm', datastore: 'etcd-stacked', vantage: 'control-plane-node', localNode: 'cp-1' },
    says: [
      /by etcd --name=cp-1 in \/etc\/kubernetes\/manifests\/etcd\.yaml/,
      /^kubeadm: pod annotation kubeadm\.kubernetes\.io\/kube-apiserver\.advertise-address\.endpoint in \/etc\/kubernetes\/manifests\/kube-apiserver\.yaml/,
    ],
  },
  {
    name: 'kubeadm stacked, from cp-2 (named by its host name, no manifests parsed)',
    evidence: { nodes: kubeadm.nodes, pods: kubeadm.pods, local: { hostname: 'cp-2.example.internal', existing: [`${MANIFESTS}/kube-apiserver.yaml`] } },
    expect: { distribution: 'kubeadm', datastore: 'etcd-stacked', vantage: 'control-plane-node', localNode: 'cp-2' },
    says: [/by host name cp-2\.example\.internal/],
  },
  {
    name: 'kubeadm, from cp-3 (named by one of this machine’s own addresses)',
    evidence: {
      nodes: kubeadm.nodes,
      pods: kubeadm.pods,
      local: { hostname: 'bastion', addresses: ['127.0.0.1', '10.0.0.13'], existing: [`${MANIFESTS}/etcd.yaml`] },
    },
    expect: { distribution: 'kubeadm', datastore: 'etcd-stacked', vantage: 'control-plane-node', localNode: 'cp-3' },
  },
  {
    name: 'never decided by 127.x: a loopback address shared with a node does not make this machine that node',
    evidence: {
      nodes: [kubeadmNode({ name: 'sim-cp-1', ip: '127.0.0.1' })],
      pods: [kubeadmApiServer({ name: 'sim-cp-1', ip: '127.0.0.1' })],
      local: { hostname: 'laptop', addresses: ['127.0.0.1', '::1'] },
    },
    expect: { distribution: 'kubeadm', datastore: 'etcd-stacked', vantage: 'jump-host' },
  },
  {
    name: 'manifests beside --pki-dir that describe another machine are a copy: still a jump host',
    evidence: {
      nodes: kubeadm.nodes,
      pods: kubeadm.pods,
      local: {
        hostname: 'laptop',
        addresses: ['192.168.1.20'],
        manifests: [{ path: '/home/me/cp1-backup/manifests/etcd.yaml', pod: kubeadmEtcd(CP[0]!), besidePkiDir: true }],
      },
    },
    expect: { distribution: 'kubeadm', datastore: 'etcd-stacked', vantage: 'jump-host' },
    says: [/manifests beside --pki-dir describe cp-1, not this machine \(read as a copy\)/],
  },
  {
    name: 'manifests beside --pki-dir on the very node they describe',
    evidence: {
      nodes: kubeadm.nodes,
      pods: kubeadm.pods,
      local: { hostname: 'cp-1', manifests: [{ path: '/srv/k8s/manifests/etcd.yaml', pod: kubeadmEtcd(CP[0]!), besidePkiDir: true }] },
    },
    expect: { distribution: 'kubeadm', datastore: 'etcd-stacked', vantage: 'control-plane-node', localNode: 'cp-1' },
  },
  {
    name: 'kubeadm with external etcd',
    evidence: { nodes: kubeadm.nodes, pods: CP.map((h) => kubeadmApiServer(h, 'https://10.0.1.21:2379,https://10.0.1.22:2379')) },
    expect: { distribution: 'kubeadm', datastore: 'etcd-external', vantage: 'jump-host' },
    says: [/--etcd-servers names 10\.0\.1\.21, 10\.0\.1\.22, none of them a node/],
  },
  {
    name: 'k3s single server with SQLite',
    evidence: { nodes: [k3sNode(CP[0]!)], gitVersion: 'v1.31.4+k3s1', server: 'https://10.0.0.11:6443' },
    expect: { distribution: 'k3s', datastore: 'kine-sqlite', vantage: 'jump-host' },
    says: [
      'k3s: gitVersion v1.31.4+k3s1; kubelet version v1.31.4+k3s1; providerID k3s://; node label node.kubernetes.io/instance-type=k3s',
      /datastore kine-sqlite/,
    ],
  },
  {
    name: 'k3s HA with embedded etcd (--cluster-init), from a server node',
    evidence: {
      nodes: CP.map((h, i) => k3sNode(h, { etcd: true, args: i === 0 ? ['server', '--cluster-init'] : ['server', '--server', 'https://10.0.0.11:6443'] })),
      gitVersion: 'v1.31.4+k3s1',
      local: { hostname: 'cp-2', existing: ['/var/lib/rancher/k3s/server', '/etc/rancher/k3s/k3s.yaml'] },
    },
    expect: { distribution: 'k3s', datastore: 'etcd-embedded', vantage: 'control-plane-node', localNode: 'cp-2' },
    says: [/datastore etcd-embedded: node label node-role\.kubernetes\.io\/etcd=true on 3 node\(s\)/, 'kubelet version v1.31.4+k3s1 (3 nodes)'],
  },
  {
    name: 'k3s with an external SQL datastore (its value redacted in node-args)',
    evidence: { nodes: [k3sNode(CP[0]!, { args: ['server', '--datastore-endpoint', '********'] })], gitVersion: 'v1.31.4+k3s1' },
    expect: { distribution: 'k3s', datastore: 'kine-sql', vantage: 'jump-host' },
  },
  {
    name: 'k3s with the datastore in K3S_DATASTORE_ENDPOINT',
    evidence: { nodes: [k3sNode(CP[0]!, { env: { K3S_DATASTORE_ENDPOINT: '********' } })] },
    expect: { distribution: 'k3s', datastore: 'kine-sql', vantage: 'jump-host' },
  },
  {
    name: 'RKE2 with its default etcd, static pods',
    evidence: {
      nodes: CP.map((h) => k3sNode(h, { program: 'rke2', etcd: true })),
      pods: [...CP.map((h) => rke2ApiServer(h)), ...CP.map(rke2Etcd)],
      gitVersion: 'v1.31.4+rke2r1',
    },
    expect: { distribution: 'rke2', datastore: 'etcd-stacked', vantage: 'jump-host' },
    says: [/^rke2: gitVersion v1\.31\.4\+rke2r1/],
  },
  {
    name: 'RKE2 with an external SQL datastore',
    evidence: {
      nodes: [k3sNode(CP[0]!, { program: 'rke2', args: ['server', '--datastore-endpoint', '********'] })],
      pods: [rke2ApiServer(CP[0]!, 'unixs:///var/lib/rancher/rke2/server/kine.sock')],
      gitVersion: 'v1.31.4+rke2r1',
    },
    expect: { distribution: 'rke2', datastore: 'kine-sql', vantage: 'jump-host' },
    says: [/datastore kine-sql: kube-apiserver-cp-1 --etcd-servers=unixs:\/\/\/var\/lib\/rancher\/rke2\/server\/kine\.sock/],
  },
  {
    name: 'RKE2 with SQLite (--disable-etcd): the same unixs:// socket, no external endpoint',
    evidence: {
      nodes: [k3sNode(CP[0]!, { program: 'rke2', args: ['server', '--disable-etcd'] })],
      pods: [rke2ApiServer(CP[0]!, 'unixs:///var/lib/rancher/rke2/server/kine.sock')],
    },
    expect: { distribution: 'rke2', datastore: 'kine-sqlite', vantage: 'jump-host' },
  },
  {
    name: 'Talos',
    evidence: { nodes: CP.map(talosNode), pods: CP.map((h) => talosApiServer(h)), gitVersion: 'v1.31.4' },
    expect: { distribution: 'talos', datastore: 'etcd-stacked', vantage: 'jump-host' },
    says: ['talos: node OS Talos (v1.9.1) (3 nodes); pod label app.kubernetes.io/managed-by=Talos (3 pods)'],
  },
  {
    name: 'MicroK8s, on the node',
    evidence: {
      nodes: [microk8sNode({ name: 'mk8s', ip: '10.0.0.31' })],
      server: 'https://127.0.0.1:16443',
      local: { hostname: 'mk8s', existing: ['/var/snap/microk8s/current/var/kubernetes/backend', '/var/snap/microk8s/current/credentials/client.config'] },
    },
    expect: { distribution: 'microk8s', datastore: 'dqlite', vantage: 'control-plane-node', localNode: 'mk8s' },
  },
  {
    name: 'MicroK8s worker (joined with --worker): not a control-plane node',
    evidence: {
      nodes: [microk8sNode({ name: 'mk8s-w', ip: '10.0.0.32' })],
      local: { hostname: 'mk8s-w', existing: ['/var/snap/microk8s/current/var/kubernetes/backend', '/var/snap/microk8s/current/var/lock/clustered.lock'] },
    },
    expect: { distribution: 'microk8s', datastore: 'dqlite', vantage: 'jump-host' },
  },
  {
    name: 'OpenShift',
    evidence: { nodes: CP.map(openshiftNode), pods: [...CP.map(openshiftApiServer), ...CP.map(openshiftEtcd)], gitVersion: 'v1.31.4' },
    expect: { distribution: 'openshift', datastore: 'etcd-stacked', vantage: 'jump-host' },
    says: [/datastore etcd-stacked: etcd pods etcd-cp-1/],
  },
  {
    name: 'kind: kubeadm inside containers, told apart by its providerID',
    evidence: {
      nodes: [{ ...kubeadmNode({ name: 'kind-control-plane', ip: '172.18.0.2' }), providerID: 'kind://docker/kind/kind-control-plane' }],
      pods: [kubeadmApiServer({ name: 'kind-control-plane', ip: '172.18.0.2' }), kubeadmEtcd({ name: 'kind-control-plane', ip: '172.18.0.2' })],
      server: 'https://127.0.0.1:39211',
    },
    expect: { distribution: 'kind', datastore: 'etcd-stacked', vantage: 'jump-host' },
    says: [/^kind: providerID kind:\/\/docker\/…/],
  },
  {
    name: 'EKS',
    evidence: {
      nodes: [
        {
          name: 'ip-10-0-1-5.ec2.internal',
          labels: { 'eks.amazonaws.com/nodegroup': 'ng-1' },
          kubeletVersion: 'v1.31.3-eks-59bf375',
          providerID: 'aws:///us-east-1a/i-0abc',
        },
      ],
      gitVersion: 'v1.31.4-eks-2d5f260',
      server: 'https://0123456789ABCDEF.gr7.us-east-1.eks.amazonaws.com',
    },
    expect: { distribution: 'eks', datastore: 'managed', vantage: 'jump-host' },
    says: [/^eks: gitVersion v1\.31\.4-eks-2d5f260/, /the control plane is the provider’s/],
  },
  {
    // Its only server down: nothing answers, but the kubeconfig's CA names the distribution.
    name: 'k3s with no API server answering',
    evidence: { server: 'https://10.0.0.11:6443', clusterCaSubject: 'k3s-server-ca@1700000000' },
    expect: { distribution: 'k3s', datastore: 'unknown', vantage: 'jump-host' },
    says: [/kubeconfig CA k3s-server-ca@1700000000/],
  },
  {
    name: 'RKE2 with no API server answering',
    evidence: { server: 'https://10.0.0.11:6443', clusterCaSubject: 'rke2-server-ca@1700000000' },
    expect: { distribution: 'rke2', datastore: 'unknown', vantage: 'jump-host' },
  },
  {
    name: "kubeadm's CA names no distribution",
    evidence: { server: 'https://10.0.0.11:6443', clusterCaSubject: 'kubernetes' },
    expect: { distribution: 'unknown', datastore: 'unknown', vantage: 'jump-host' },
  },
  {
    name: 'GKE',
    evidence: {
      nodes: [{ name: 'gke-pool-1', labels: { 'cloud.google.com/gke-nodepool': 'default-pool' } }],
      gitVersion: 'v1.31.4-gke.1256000',
      server: 'https://34.1.2.3',
    },
    expect: { distribution: 'gke', datastore: 'managed', vantage: 'jump-host' },
  },
  {
    name: 'AKS, from inside a pod',
    evidence: {
      nodes: [{ name: 'aks-nodepool1-1', labels: { 'kubernetes.azure.com/cluster': 'MC_rg_aks_westeurope' } }],
      gitVersion: 'v1.31.4',
      server: 'https://myaks-dns-abc.hcp.westeurope.azmk8s.io:443',
      local: { serviceAccount: true, nodeName: 'aks-nodepool1-1' },
    },
    expect: { distribution: 'aks', datastore: 'managed', vantage: 'in-cluster', localNode: 'aks-nodepool1-1' },
    says: ["vantage in-cluster: authenticated with this pod's service-account token (on node aks-nodepool1-1)"],
  },
  {
    name: 'in-cluster on kubeadm even when kubeadm files are mounted into the pod',
    evidence: { nodes: kubeadm.nodes, pods: kubeadm.pods, local: { serviceAccount: true, existing: [`${MANIFESTS}/kube-apiserver.yaml`] } },
    expect: { distribution: 'kubeadm', datastore: 'etcd-stacked', vantage: 'in-cluster' },
  },
  {
    name: 'nothing to tell by',
    evidence: { nodes: [{ name: 'n1', kubeletVersion: 'v1.31.4' }], gitVersion: 'v1.31.4' },
    expect: { distribution: 'unknown', datastore: 'unknown', vantage: 'jump-host' },
    says: [/^unknown: no distribution-specific/],
  },
  {
    name: '--distribution wins over what the cluster shows',
    evidence: { nodes: kubeadm.nodes, pods: kubeadm.pods, override: { distribution: 'rke2' } },
    expect: { distribution: 'rke2', datastore: 'etcd-stacked', vantage: 'jump-host' },
    says: ['rke2: set by --distribution'],
  },
];

describe('inferShape', () => {
  it.each(rows)('$name', ({ evidence, expect: want, says }) => {
    const shape = inferShape(evidence);
    expect({ distribution: shape.distribution, datastore: shape.datastore, vantage: shape.vantage, localNode: shape.localNode }).toEqual({
      localNode: undefined,
      ...want,
    });
    expect(shape.evidence).toHaveLength(3);
    for (const s of says ?? []) {
      if (typeof s === 'string')
        expect(
          shape.evidence.some((line) => line.includes(s)),
          `${s}\nin ${shape.evidence.join('\n')}`,
        ).toBe(true);
      else
        expect(
          shape.evidence.some((line) => s.test(line)),
          `${s}\nin ${shape.evidence.join('\n')}`,
        ).toBe(true);
    }
  });

  it('shows a hostile label value escaped and cut short in the evidence', () => {
    const node = { ...microk8sNode(CP[0]!), labels: { 'microk8s.io/cluster': `true\u001b]0;pwned\u0007${'x'.repeat(200)}` } };
    const shape = inferShape({ nodes: [node] });
    expect(shape.distribution).toBe('microk8s');
    const line = shape.evidence[0]!;
    expect(line).toContain('\\x1b]0;pwned\\x07');
    expect([...line].some((ch) => ch.charCodeAt(0) < 0x20)).toBe(false);
    expect(line.length).toBeLessThan(200);
  });
});
