// Turns flags and the kubeconfig into Targets. Discovery that fails degrades to what flags
// and files give; it never aborts the run.
import { PORTS } from '../judge/ports.js';
import { existsSync } from 'node:fs';
import type { CheckOptions } from '../options.js';
import { parseEndpoint } from '../judge/url.js';
import type { ResolvedKubeconfig } from './kubeconfig.js';
import { kubeconfigCertificatesOf } from './pki.js';
import type { Targets } from './targets.js';
import { validateEtcdTlsFlags } from './tls-flags.js';

const KUBEADM_PKI_DIR = '/etc/kubernetes/pki';

/** Targets from flags and the kubeconfig alone: no network. */
export function targetsFromFlags(options: CheckOptions, kubeconfig: ResolvedKubeconfig | null): Targets {
  const kubeServer = kubeconfig
    ? parseEndpoint(kubeconfig.cluster.server, `kubeconfig server of context '${kubeconfig.contextName}'`, 'kubeconfig', 443)
    : null;
  const apiServers = options.apiservers.map((u) => parseEndpoint(u, '--apiserver', '--apiserver', PORTS.apiServer));
  const etcd = options.etcd.map((u) => parseEndpoint(u, '--etcd', '--etcd', PORTS.etcdClient));
  const pkiDir = options.pkiDir ?? (existsSync(KUBEADM_PKI_DIR) ? KUBEADM_PKI_DIR : null);
  validateEtcdTlsFlags(options);
  return {
    context: kubeconfig?.contextName ?? null,
    kubeServer,
    clusterCa: kubeconfig?.cluster.caPem ?? null,
    apiServers,
    etcd,
    etcdTls: { caFile: options.etcdCacert ?? undefined, certFile: options.etcdCert ?? undefined, keyFile: options.etcdKey ?? undefined },
    hosts: options.hosts.map((address) => ({ address, controlPlane: true })),
    pkiDir,
    kubeconfigCertificates: kubeconfig ? kubeconfigCertificatesOf(kubeconfig) : null,
    etcdBackupDir: options.etcdBackupDir,
    notes: [],
  };
}
