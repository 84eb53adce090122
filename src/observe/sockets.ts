// TCP and TLS answers memoised per run by host, port and role: the reachability, ports,
// kubelet, etcd and certificate checks look at the same sockets, so each is opened once and
// every check reports the same observation of it.
import type { TcpOutcome, TlsInspection } from '../probes/types.js';
import { etcdCa } from './files.js';
import { deadline, type ObserveScope } from './scope.js';

/** What a TLS endpoint is, which decides the CA its certificate is verified against. */
export type TlsRole = 'apiserver' | 'kubelet' | 'etcd-client' | 'etcd-peer';

export function tcpOnce(scope: ObserveScope, host: string, port: number): Promise<TcpOutcome> {
  return scope.memo.once(`tcp:${host}:${port}`, () => scope.probes.tcp(host, port, deadline(scope)));
}

/**
 * An inspection handshake (no credentials sent) that reads the served chain even when it does
 * not verify: API servers and kubelets are verified against the kubeconfig's cluster CA, etcd
 * against the etcd CA.
 */
export function tlsOnce(scope: ObserveScope, host: string, port: number, role: TlsRole = 'apiserver'): Promise<TlsInspection> {
  const key = role === 'apiserver' ? `tls:${host}:${port}` : `tls:${host}:${port}:${role}`;
  return scope.memo.once(key, async () => {
    const ca = role === 'etcd-client' || role === 'etcd-peer' ? (await etcdCa(scope)).pem : scope.targets.clusterCa;
    return scope.probes.tls(host, port, { ...deadline(scope), ca: ca ?? undefined });
  });
}
