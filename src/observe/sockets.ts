// TCP and TLS probes memoised per run by host and port: the reachability, ports, kubelet and
// node checks look at the same sockets, so each is opened once and every check reports the
// same observation of it.
import type { CheckContext } from '../engine/types.js';
import type { TcpOutcome, TlsInspection } from '../probes/types.js';

export function tcpOnce(ctx: CheckContext, host: string, port: number): Promise<TcpOutcome> {
  return ctx.shared.once(`tcp:${host}:${port}`, () => ctx.probes.tcp(host, port, { timeoutMs: ctx.options.timeoutMs, signal: ctx.signal }));
}

/**
 * An inspection handshake (no credentials sent), verified against the cluster CA when known.
 * The key is the one certs-served uses for the same handshake (`tls:host:port`, plus the role
 * for kubelets), so the certificate and reachability checks share one connection.
 */
export function tlsOnce(ctx: CheckContext, host: string, port: number, role?: 'kubelet'): Promise<TlsInspection> {
  return ctx.shared.once(`tls:${host}:${port}${role ? `:${role}` : ''}`, () =>
    ctx.probes.tls(host, port, { timeoutMs: ctx.options.timeoutMs, signal: ctx.signal, ca: ctx.targets.clusterCa ?? undefined }),
  );
}
