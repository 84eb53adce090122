// Is the kubelet on a host up? A TCP connect to its port, then a TLS handshake that sends no
// credentials: any completed handshake means the kubelet process runs (whatever it would
// answer to a request: 200, 401 or 403). Memoised, so the node and kubelet checks share it.
import type { Failure } from '../probes/types.js';
import type { ObserveScope } from './scope.js';
import { tcpOnce, tlsOnce } from './sockets.js';

export type KubeletAnswer = { up: true; tcpMs: number; tlsMs: number } | { up: false; stage: 'tcp' | 'tls'; failure: Failure; ms: number };

export async function kubeletAnswer(ctx: ObserveScope, address: string, port: number): Promise<KubeletAnswer> {
  const tcp = await tcpOnce(ctx, address, port);
  if (tcp.kind !== 'ok') return { up: false, stage: 'tcp', failure: tcp, ms: tcp.ms };
  const tls = await tlsOnce(ctx, address, port, 'kubelet');
  if (tls.kind !== 'ok') {
    return { up: false, stage: 'tls', failure: tls.failure ?? { kind: tls.kind, message: `tls ${address}:${port} failed` }, ms: tls.ms };
  }
  return { up: true, tcpMs: tcp.ms, tlsMs: tls.ms };
}
