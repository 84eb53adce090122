// What a control-plane node of each distribution holds on disk, written under a per-node
// root folder that mirrors the real paths (root/etc/kubernetes/pki,
// root/var/lib/rancher/k3s/server/tls, root/var/snap/microk8s/current/certs, …), and the
// certificates the distribution's API endpoint presents and trusts.
//
// A node's own loopback cannot be simulated (tests run side by side and the machine's own
// 127.0.0.1:6443 or :2379 would collide), so a kubeconfig that the distribution points at
// https://127.0.0.1:<port> points here at the node's own address, which stands for it.
import { cp, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';
import { createCa, issue, kubeconfigYaml, type Issued, type KubeadmPki } from './pki.js';
import { rancherDataDir, rancherEtcdMemberName, type RancherDistribution } from './shape-rancher.js';
import type { Distribution } from './scenarios/spec.js';

/** The files k8sdoc can be pointed at on one control-plane node. */
export interface NodeFiles {
  node: string;
  /** Stands for the node's `/`. */
  root: string;
  /** The distribution's PKI folder under root (what `--pki-dir` takes). */
  pkiDir: string;
  /** The admin kubeconfig the distribution writes on a server, or null when it writes none (Talos). */
  adminKubeconfig: string | null;
  /** The client certificate etcdctl uses on this node, when the cluster has etcd and the node holds one. */
  etcdClient: { caFile: string; certFile: string; keyFile: string } | null;
}

/** The certificates of the API endpoint: what it presents, what signed that, and what it trusts from clients. */
export interface FrontPki {
  servingCa: Issued;
  serving: Issued;
  clientCa: Issued;
  /** The admin credential a kubeconfig carries. */
  admin: { certPem: string; keyPem: string } | { token: string };
  adminUser: string;
}

async function put(path: string, text: string, mode = 0o644): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text, { mode });
}

async function pair(dir: string, base: string, issued: Issued): Promise<void> {
  await put(join(dir, `${base}.crt`), issued.certPem);
  await put(join(dir, `${base}.key`), issued.keyPem, 0o600);
}

const SERVICE_NAMES = ['kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local'];

export interface FrontPkiInput {
  distribution: Distribution;
  /** The kubeadm-shaped PKI the simulator always mints (its etcd CA serves every etcd). */
  pki: KubeadmPki;
  /** Names and addresses the endpoint is reached by. */
  dnsNames: string[];
  ipAddresses: string[];
  /** A registered bearer token, for distributions whose admin authenticates with one. */
  token: () => string;
}

/** The endpoint's certificates as the distribution makes them. kubeadm's come from writeKubeadmPki. */
export async function frontPki(i: FrontPkiInput): Promise<FrontPki & { extra: Record<string, Issued> }> {
  const stamp = Math.floor(Date.now() / 1000);
  const names = { dnsNames: [...new Set([...i.dnsNames, 'localhost', ...SERVICE_NAMES])], ipAddresses: [...new Set([...i.ipAddresses, '127.0.0.1'])] };
  switch (i.distribution) {
    case 'k3s':
    case 'rke2': {
      const d = i.distribution;
      const [serverCa, clientCa, requestHeaderCa] = await Promise.all([
        createCa(`${d}-server-ca@${stamp}`),
        createCa(`${d}-client-ca@${stamp}`),
        createCa(`${d}-request-header-ca@${stamp}`),
      ]);
      // k3s's :6443 is the supervisor's dynamiclistener certificate (CN and O `k3s`); RKE2's
      // :6443 is the kube-apiserver pod with serving-kube-apiserver.crt.
      const listener = await issue(serverCa, {
        commonName: d === 'k3s' ? 'k3s' : 'kube-apiserver',
        ...(d === 'k3s' ? { organization: ['k3s'] } : {}),
        usage: 'server',
        ...names,
      });
      const [servingKubeApiserver, admin, kubeApiserverClient, supervisor] = await Promise.all([
        d === 'k3s' ? issue(serverCa, { commonName: 'kube-apiserver', usage: 'server', ...names }) : Promise.resolve(listener),
        issue(clientCa, { commonName: 'system:admin', organization: ['system:masters'], usage: 'client' }),
        issue(clientCa, { commonName: 'system:kube-apiserver', organization: ['system:masters'], usage: 'client' }),
        issue(serverCa, { commonName: d, organization: [d], usage: 'server', ...names }),
      ]);
      const [etcdClient, etcdServerClient, etcdPeer] = await Promise.all([
        issue(i.pki.authorities.etcdCa, { commonName: 'etcd-client', usage: 'client' }),
        issue(i.pki.authorities.etcdCa, { commonName: 'etcd-server', usage: 'client' }),
        issue(i.pki.authorities.etcdCa, { commonName: 'etcd-peer', usage: 'client' }),
      ]);
      // The other client certificates k3s and RKE2 make in server/tls on every server.
      const [controller, scheduler, kubeProxy, programController, authProxy] = await Promise.all([
        issue(clientCa, { commonName: 'system:kube-controller-manager', usage: 'client' }),
        issue(clientCa, { commonName: 'system:kube-scheduler', usage: 'client' }),
        issue(clientCa, { commonName: 'system:kube-proxy', usage: 'client' }),
        issue(clientCa, { commonName: `system:${d}-controller`, usage: 'client' }),
        issue(requestHeaderCa, { commonName: 'system:auth-proxy', usage: 'client' }),
      ]);
      return {
        servingCa: serverCa,
        serving: listener,
        clientCa,
        admin,
        adminUser: 'default',
        extra: {
          'server-ca': serverCa,
          'client-ca': clientCa,
          'request-header-ca': requestHeaderCa,
          'serving-kube-apiserver': servingKubeApiserver,
          'client-admin': admin,
          'client-kube-apiserver': kubeApiserverClient,
          supervisor,
          'etcd/client': etcdClient,
          'etcd/server-client': etcdServerClient,
          'etcd/peer-server-client': etcdPeer,
          'client-controller': controller,
          'client-scheduler': scheduler,
          'client-kube-proxy': kubeProxy,
          [`client-${d}-controller`]: programController,
          'client-auth-proxy': authProxy,
        },
      };
    }
    case 'microk8s': {
      const ca = await createCa('10.152.183.1');
      const [server, admin, frontProxyCa] = await Promise.all([
        issue(ca, { commonName: '127.0.0.1', usage: 'server', ...names }),
        issue(ca, { commonName: 'admin', organization: ['system:masters'], usage: 'client' }),
        createCa('front-proxy-ca'),
      ]);
      const frontProxyClient = await issue(frontProxyCa, { commonName: 'front-proxy-client', usage: 'client' });
      return {
        servingCa: ca,
        serving: server,
        clientCa: ca,
        admin,
        adminUser: 'admin',
        extra: { ca, server, 'front-proxy-ca': frontProxyCa, 'front-proxy-client': frontProxyClient },
      };
    }
    case 'openshift': {
      const [lbSigner, adminSigner] = await Promise.all([createCa(`kube-apiserver-lb-signer`), createCa('admin-kubeconfig-signer')]);
      const [serving, admin] = await Promise.all([
        issue(lbSigner, { commonName: 'api.sim.example.com', usage: 'server', ...names, dnsNames: [...names.dnsNames, 'api.sim.example.com'] }),
        issue(adminSigner, { commonName: 'system:admin', organization: ['system:masters'], usage: 'client' }),
      ]);
      return { servingCa: lbSigner, serving, clientCa: adminSigner, admin, adminUser: 'admin', extra: {} };
    }
    case 'managed': {
      // EKS: the cluster CA signs the endpoint's certificate; people authenticate with a token.
      const ca = i.pki.authorities.ca;
      const serving = await issue(ca, { commonName: 'kube-apiserver', usage: 'server', ...names });
      return { servingCa: ca, serving, clientCa: ca, admin: { token: i.token() }, adminUser: 'arn:aws:iam::111122223333:user/admin', extra: {} };
    }
    case 'talos': {
      // talosctl kubeconfig: a client certificate `admin` in system:masters from the cluster CA.
      const ca = i.pki.authorities.ca;
      const [serving, admin] = await Promise.all([
        issue(ca, { commonName: 'kube-apiserver', usage: 'server', ...names }),
        issue(ca, { commonName: 'admin', organization: ['system:masters'], usage: 'client' }),
      ]);
      return { servingCa: ca, serving, clientCa: ca, admin, adminUser: 'admin@sim', extra: {} };
    }
    case 'kubeadm':
      throw new Error('kubeadm endpoint certificates come from writeKubeadmPki');
  }
}

function kubeconfigFor(server: string, front: FrontPki, o: { clusterName?: string; contextName?: string; userName?: string } = {}): string {
  return kubeconfigYaml({ server, caPem: front.servingCa.certPem, user: front.admin, userName: o.userName ?? front.adminUser, ...o });
}

/** kubeadm: /etc/kubernetes with its kubeconfigs, pki/ and this node's manifests/ (copied from the simulator's own). */
export async function writeKubeadmNodeFiles(root: string, node: string, kubernetesDir: string, manifests: Record<string, string>): Promise<NodeFiles> {
  const etc = join(root, 'etc', 'kubernetes');
  await mkdir(etc, { recursive: true });
  await cp(kubernetesDir, etc, { recursive: true, filter: (src) => !src.endsWith('/manifests') });
  for (const [file, text] of Object.entries(manifests)) await put(join(etc, 'manifests', file), text, 0o600);
  const pkiDir = join(etc, 'pki');
  return {
    node,
    root,
    pkiDir,
    adminKubeconfig: join(etc, 'admin.conf'),
    etcdClient: {
      caFile: join(pkiDir, 'etcd', 'ca.crt'),
      certFile: join(pkiDir, 'etcd', 'healthcheck-client.crt'),
      keyFile: join(pkiDir, 'etcd', 'healthcheck-client.key'),
    },
  };
}

export interface RancherNodeInput {
  distribution: RancherDistribution;
  root: string;
  node: { name: string; address: string };
  front: FrontPki & { extra: Record<string, Issued> };
  pki: KubeadmPki;
  /** Present when the servers run etcd: every member's name and address. */
  etcdMembers: { name: string; address: string }[] | null;
}

/** k3s / RKE2 server: server/tls (etcd/ when there is etcd), the admin kubeconfig, and RKE2's etcd config file. */
export async function writeRancherNodeFiles(i: RancherNodeInput): Promise<NodeFiles> {
  const d = i.distribution;
  const data = join(i.root, rancherDataDir(d));
  const tls = join(data, 'server', 'tls');
  const x = i.front.extra;
  await Promise.all([
    pair(tls, 'server-ca', x['server-ca']!),
    pair(tls, 'client-ca', x['client-ca']!),
    pair(tls, 'request-header-ca', x['request-header-ca']!),
    pair(tls, 'serving-kube-apiserver', x['serving-kube-apiserver']!),
    pair(tls, 'client-admin', x['client-admin']!),
    pair(tls, 'client-kube-apiserver', x['client-kube-apiserver']!),
    ...['client-controller', 'client-scheduler', 'client-kube-proxy', `client-${d}-controller`, 'client-auth-proxy'].map((base) => pair(tls, base, x[base]!)),
    put(join(tls, 'dynamic-cert.json'), JSON.stringify({ note: 'dynamiclistener cache' })),
  ]);
  let etcdClient: NodeFiles['etcdClient'] = null;
  if (i.etcdMembers) {
    const etcd = join(tls, 'etcd');
    const etcdCa = i.pki.authorities.etcdCa;
    await Promise.all([
      put(join(etcd, 'server-ca.crt'), etcdCa.certPem),
      put(join(etcd, 'peer-ca.crt'), etcdCa.certPem),
      pair(etcd, 'client', x['etcd/client']!),
      pair(etcd, 'server-client', x['etcd/server-client']!),
      pair(etcd, 'peer-server-client', x['etcd/peer-server-client']!),
    ]);
    etcdClient = { caFile: join(etcd, 'server-ca.crt'), certFile: join(etcd, 'client.crt'), keyFile: join(etcd, 'client.key') };
    const self = i.node;
    // What k3s and RKE2 write to server/db/etcd/config and start etcd with.
    const config = {
      'advertise-client-urls': `https://${self.address}:2379`,
      'client-transport-security': {
        'cert-file': `${rancherDataDir(d)}/server/tls/etcd/server-client.crt`,
        'client-cert-auth': true,
        'key-file': `${rancherDataDir(d)}/server/tls/etcd/server-client.key`,
        'trusted-ca-file': `${rancherDataDir(d)}/server/tls/etcd/server-ca.crt`,
      },
      'data-dir': `${rancherDataDir(d)}/server/db/etcd`,
      'election-timeout': 5000,
      'experimental-initial-corrupt-check': true,
      'heartbeat-interval': 500,
      'initial-advertise-peer-urls': `https://${self.address}:2380`,
      'initial-cluster': i.etcdMembers.map((m) => `${rancherEtcdMemberName(m.name)}=https://${m.address}:2380`).join(','),
      'initial-cluster-state': i.etcdMembers[0]?.name === self.name ? 'new' : 'existing',
      'listen-client-http-urls': 'https://127.0.0.1:2382',
      'listen-client-urls': `https://127.0.0.1:2379,https://${self.address}:2379`,
      'listen-metrics-urls': 'http://127.0.0.1:2381',
      'listen-peer-urls': `https://127.0.0.1:2380,https://${self.address}:2380`,
      'log-outputs': ['stderr'],
      logger: 'zap',
      name: rancherEtcdMemberName(self.name),
      'peer-transport-security': {
        'cert-file': `${rancherDataDir(d)}/server/tls/etcd/peer-server-client.crt`,
        'client-cert-auth': true,
        'key-file': `${rancherDataDir(d)}/server/tls/etcd/peer-server-client.key`,
        'trusted-ca-file': `${rancherDataDir(d)}/server/tls/etcd/peer-ca.crt`,
      },
      'snapshot-count': 10000,
    };
    await put(join(data, 'server', 'db', 'etcd', 'config'), stringify(config), 0o600);
  }
  const adminKubeconfig = join(i.root, 'etc', 'rancher', d, `${d}.yaml`);
  await put(
    adminKubeconfig,
    kubeconfigFor(`https://${i.node.address}:6443`, i.front, { clusterName: 'default', contextName: 'default', userName: 'default' }),
    0o600,
  );
  return { node: i.node.name, root: i.root, pkiDir: tls, adminKubeconfig, etcdClient };
}

/** MicroK8s: /var/snap/microk8s/current/certs and credentials/client.config (server on :16443). */
export async function writeMicrok8sNodeFiles(
  root: string,
  node: { name: string; address: string },
  front: FrontPki & { extra: Record<string, Issued> },
): Promise<NodeFiles> {
  const current = join(root, 'var', 'snap', 'microk8s', 'current');
  const certs = join(current, 'certs');
  await Promise.all([
    pair(certs, 'ca', front.extra.ca!),
    pair(certs, 'server', front.extra.server!),
    pair(certs, 'front-proxy-ca', front.extra['front-proxy-ca']!),
    pair(certs, 'front-proxy-client', front.extra['front-proxy-client']!),
  ]);
  const adminKubeconfig = join(current, 'credentials', 'client.config');
  await put(
    adminKubeconfig,
    kubeconfigFor(`https://${node.address}:16443`, front, { clusterName: 'microk8s-cluster', contextName: 'microk8s', userName: 'admin' }),
    0o600,
  );
  return { node: node.name, root, pkiDir: certs, adminKubeconfig, etcdClient: null };
}

export { kubeconfigFor };
