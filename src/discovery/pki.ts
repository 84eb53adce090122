// Which certificate files a PKI folder should hold, and the kubeconfigs kept next to it.
// kubeadm's layout is known file by file (so a missing one is a finding); any other
// folder (k3s's server/tls, a hand-made CA) is read for what it holds.
import { dirname, isAbsolute, join } from 'node:path';
import { parseYamlLazily } from '../util/yaml.js';
import type { ResolvedKubeconfig } from './kubeconfig.js';
import type { KubeconfigCertificates } from './targets.js';

export interface ExpectedCertificate {
  /** kubeadm's name for it, as `kubeadm certs check-expiration` prints it. */
  name: string;
  /** Path relative to the PKI folder. */
  file: string;
  ca: boolean;
  /** Only present with stacked etcd (a local `etcd/` folder). */
  stackedEtcd: boolean;
}

/** The certificates kubeadm creates in /etc/kubernetes/pki, CAs first as kubeadm lists them. */
export const KUBEADM_CERTIFICATES: readonly ExpectedCertificate[] = [
  { name: 'ca', file: 'ca.crt', ca: true, stackedEtcd: false },
  { name: 'etcd-ca', file: 'etcd/ca.crt', ca: true, stackedEtcd: true },
  { name: 'front-proxy-ca', file: 'front-proxy-ca.crt', ca: true, stackedEtcd: false },
  { name: 'apiserver', file: 'apiserver.crt', ca: false, stackedEtcd: false },
  { name: 'apiserver-etcd-client', file: 'apiserver-etcd-client.crt', ca: false, stackedEtcd: true },
  { name: 'apiserver-kubelet-client', file: 'apiserver-kubelet-client.crt', ca: false, stackedEtcd: false },
  { name: 'etcd-healthcheck-client', file: 'etcd/healthcheck-client.crt', ca: false, stackedEtcd: true },
  { name: 'etcd-peer', file: 'etcd/peer.crt', ca: false, stackedEtcd: true },
  { name: 'etcd-server', file: 'etcd/server.crt', ca: false, stackedEtcd: true },
  { name: 'front-proxy-client', file: 'front-proxy-client.crt', ca: false, stackedEtcd: false },
];

/** File names worth reading in a folder that is not laid out by kubeadm. */
export function isCertificateFileName(name: string): boolean {
  return /\.(crt|pem|cer)$/i.test(name);
}

/** A client certificate found in a kubeconfig: inline, or a path to read. */
export interface EmbeddedClientCertificate {
  user: string;
  pem: string | null;
  file: string | null;
}

export type KubeconfigParse = { kind: 'ok'; clients: EmbeddedClientCertificate[] } | { kind: 'invalid'; message: string };

function decodeBase64Pem(value: unknown): string | null {
  if (typeof value !== 'string' || !/^[A-Za-z0-9+/=\s]+$/.test(value)) return null;
  return Buffer.from(value, 'base64').toString('utf8');
}

/**
 * The client certificates of every user in a kubeconfig file (admin.conf holds one inline;
 * kubelet.conf points to /var/lib/kubelet/pki/kubelet-client-current.pem). Keys are never read.
 */
export async function clientCertificatesOf(text: string, file: string): Promise<KubeconfigParse> {
  let doc: unknown;
  try {
    doc = await parseYamlLazily(text, { maxAliasCount: 100 });
  } catch (err) {
    return { kind: 'invalid', message: `${file} is not valid YAML: ${String((err as Error).message).split('\n')[0]}` };
  }
  const users = (doc as { users?: unknown } | null)?.users;
  if (typeof doc !== 'object' || doc === null || !Array.isArray(users)) {
    return { kind: 'invalid', message: `${file} is not a kubeconfig: no users list` };
  }
  const clients: EmbeddedClientCertificate[] = [];
  for (const entry of users as unknown[]) {
    const rec = (entry ?? {}) as { name?: unknown; user?: Record<string, unknown> };
    const user = rec.user ?? {};
    const name = typeof rec.name === 'string' ? rec.name : '(unnamed user)';
    const data = user['client-certificate-data'];
    const path = user['client-certificate'];
    if (data !== undefined) {
      const pem = decodeBase64Pem(data);
      if (pem === null) return { kind: 'invalid', message: `${file}: user '${name}' has client-certificate-data that is not base64` };
      clients.push({ user: name, pem, file: null });
    } else if (typeof path === 'string' && path !== '') {
      clients.push({ user: name, pem: null, file: isAbsolute(path) ? path : join(dirname(file), path) });
    }
  }
  return { kind: 'ok', clients };
}

function otherAuthOf(user: Record<string, unknown>, inCluster: boolean): string | null {
  if (inCluster) return 'service account token';
  if (user['token'] !== undefined || user['tokenFile'] !== undefined) return 'bearer token';
  if (user['exec'] !== undefined) return 'exec plugin';
  if (user['auth-provider'] !== undefined) return 'auth provider';
  if (user['username'] !== undefined) return 'basic auth';
  return null;
}

/** The current context's certificates for certs-kubeconfig; the key stays where it is. */
export function kubeconfigCertificatesOf(kubeconfig: ResolvedKubeconfig): KubeconfigCertificates {
  const user = kubeconfig.user;
  const path = user['client-certificate'];
  return {
    context: kubeconfig.contextName,
    user: kubeconfig.userName,
    cluster: kubeconfig.clusterName,
    clientCertPem: decodeBase64Pem(user['client-certificate-data']),
    clientCertFile: typeof path === 'string' && path !== '' ? path : null,
    otherAuth: otherAuthOf(user, kubeconfig.inCluster),
  };
}
