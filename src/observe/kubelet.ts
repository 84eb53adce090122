// Is the kubelet on a host up? A TCP connect to its port, then a TLS handshake that sends no
// credentials: any completed handshake means the kubelet process runs (whatever it would
// answer to a request: 200, 401 or 403). Memoised, so the node and kubelet checks share it.
import type { CheckContext } from '../engine/types.js';
import type { Failure } from '../probes/types.js';
import { tcpOnce, tlsOnce } from './sockets.js';

export type KubeletAnswer = { up: true; tcpMs: number; tlsMs: number } | { up: false; stage: 'tcp' | 'tls'; failure: Failure; ms: number };

export async function kubeletAnswer(ctx: CheckContext, address: string, port: number): Promise<KubeletAnswer> {
  const tcp = await tcpOnce(ctx, address, port);
  if (tcp.kind !== 'ok') return { up: false, stage: 'tcp', failure: tcp, ms: tcp.ms };
  const tls = await tlsOnce(ctx, address, port, 'kubelet');
  if (tls.kind !== 'ok') {
    return { up: false, stage: 'tls', failure: tls.failure ?? { kind: tls.kind, message: `tls ${address}:${port} failed` }, ms: tls.ms };
  }
  return { up: true, tcpMs: tcp.ms, tlsMs: tls.ms };
}

/** Why the kubelet does not answer, in the words an operator acts on. */
export function describeKubeletDown(answer: Extract<KubeletAnswer, { up: false }>, port: number, timeoutMs: number): string {
  const { failure, stage } = answer;
  if (stage === 'tls') {
    if (failure.kind === 'timeout') return `port ${port} accepts TCP but the TLS handshake never completes within ${timeoutMs} ms: the kubelet is hung`;
    return `port ${port} accepts TCP but TLS fails (${failure.message}): something other than the kubelet listens, or it is broken`;
  }
  switch (failure.kind) {
    case 'refused':
      return `port ${port} refuses connections: the kubelet is not running`;
    case 'timeout':
      return `port ${port} does not answer within ${timeoutMs} ms: a firewall drops the packets, or the host is down`;
    case 'dns':
      return `the host name does not resolve (${failure.message})`;
    case 'unreachable':
      return `the host is unreachable (${failure.message})`;
    default:
      return failure.message;
  }
}
