// Is the kubelet on a host up? A TCP connect to its port, then a TLS handshake that sends no
// credentials: any completed handshake means the kubelet process runs (whatever it would
// answer to a request: 200, 401 or 403). Memoised, so the node and kubelet checks share it.
// And which kubelets are worth that dial at all: the plan every check that dials port 10250
// follows (kubelet, certs-served, kubelet-certificates), made once per run, so that the
// kubelets the control plane already knows dead are dialled by none of them and the others
// once for all of them.
import { dialSample, planKubeletDials, type DialPlan, type HeartbeatLoss } from '../judge/kubelet-plan.js';
import type { Failure } from '../probes/types.js';
import { apiUnavailable } from './api.js';
import { nodeLeases, type LeaseListOutcome } from './leases.js';
import { nodeList, type NodeListOutcome, type NodeSummary } from './nodes.js';
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

/** The run's kubelet dial plan, and what it was made from. */
export interface KubeletPlan {
  /** The node list; `failed` without asking when the API is already known not to answer. */
  list: NodeListOutcome;
  /** kube-node-lease's leases; null when there was no node list to judge them against. */
  leases: LeaseListOutcome | null;
  /** The server's clock when the list carried it, else the run's start. */
  now: Date;
  /** Listed nodes by their address. */
  byAddress: ReadonlyMap<string, NodeSummary>;
  dials: DialPlan;
  /** The node at `address` and its heartbeat loss, when the plan says not to dial its kubelet. */
  notDialled(address: string): { node: NodeSummary; loss: HeartbeatLoss } | null;
}

/**
 * Once per run. Without the API (hung, refused, no credentials) there is no list and every
 * known kubelet is dialled, as before there were leases to read; an API already known not to
 * answer is not asked for the list again.
 */
export function kubeletPlan(scope: ObserveScope, runStart: Date): Promise<KubeletPlan> {
  return scope.memo.once('kubelet:plan', async () => {
    const list: NodeListOutcome =
      (await apiUnavailable(scope)) === null ? await nodeList(scope) : { kind: 'failed', message: 'API server unreachable', timedOut: false };
    const nodes = list.kind === 'ok' ? list.nodes : [];
    const leases = list.kind === 'ok' && nodes.length > 0 ? await nodeLeases(scope) : null;
    const now = (list.kind === 'ok' ? list.serverNow : null) ?? runStart;
    const byAddress = new Map(nodes.filter((n) => n.address).map((n) => [n.address!, n]));
    const dials = planKubeletDials(nodes, leases, now, dialSample(scope.options.concurrency));
    return {
      list,
      leases,
      now,
      byAddress,
      dials,
      notDialled(address) {
        const node = byAddress.get(address);
        const loss = node ? dials.byLease.get(node.name) : undefined;
        return node && loss ? { node, loss } : null;
      },
    };
  });
}
