// The flags a user standing at one of a simulated cluster's vantage points passes to k8sdoc:
// the kubeconfig there, and the etcd client certificate or PKI folder that place has.
import type { SimCluster } from './cluster.js';

export type SimVantage = 'jump-host' | 'jump-host-etcd-certs' | 'control-plane-node' | 'in-cluster';

/** null when the shape offers no such place (no node files on Talos or a managed cluster). */
export function vantageArgs(c: SimCluster, vantage: SimVantage): string[] | null {
  const v = c.vantages;
  switch (vantage) {
    case 'jump-host':
      return ['--kubeconfig', v.jumpHost.kubeconfig];
    case 'jump-host-etcd-certs': {
      const tls = v.jumpHost.etcdClient;
      return ['--kubeconfig', v.jumpHost.kubeconfig, ...(tls ? ['--etcd-cacert', tls.caFile, '--etcd-cert', tls.certFile, '--etcd-key', tls.keyFile] : [])];
    }
    case 'control-plane-node': {
      const node = v.nodes[0];
      return node ? ['--kubeconfig', node.adminKubeconfig ?? v.jumpHost.kubeconfig, '--pki-dir', node.pkiDir] : null;
    }
    case 'in-cluster':
      return ['--kubeconfig', v.inCluster.kubeconfig];
  }
}
