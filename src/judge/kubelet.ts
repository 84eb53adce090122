// Why a kubelet does not answer, in the words an operator acts on.
import type { KubeletAnswer } from '../observe/kubelet.js';

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
