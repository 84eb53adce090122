// The kubelets' heartbeats: one Lease per node in kube-node-lease, renewed every 10 s by a
// live kubelet. Listed once per run (paginated like nodes) and only when a check asks.
import { listPaged } from './nodes.js';
import type { ObserveScope } from './scope.js';

export interface NodeLease {
  node: string;
  renewTime: Date | null;
  durationSeconds: number;
}

export type LeaseListOutcome = { kind: 'ok'; leases: Map<string, NodeLease>; serverNow: Date | null } | { kind: 'forbidden' | 'failed'; message: string };

const DEFAULT_LEASE_SECONDS = 40;
export const NODE_LEASE_NAMESPACE = 'kube-node-lease';

interface RawLease {
  metadata?: { name?: string };
  spec?: { renewTime?: string; leaseDurationSeconds?: number };
}

function keepLease(raw: RawLease): NodeLease | null {
  const node = raw.metadata?.name;
  if (typeof node !== 'string') return null;
  const renew = raw.spec?.renewTime ? new Date(raw.spec.renewTime) : null;
  const duration = raw.spec?.leaseDurationSeconds;
  return {
    node,
    renewTime: renew && !Number.isNaN(renew.getTime()) ? renew : null,
    durationSeconds: typeof duration === 'number' && duration > 0 ? duration : DEFAULT_LEASE_SECONDS,
  };
}

export function nodeLeases(ctx: ObserveScope): Promise<LeaseListOutcome> {
  return ctx.memo.once('nodes:leases', async () => {
    const outcome = await listPaged(
      ctx,
      `/apis/coordination.k8s.io/v1/namespaces/${NODE_LEASE_NAMESPACE}/leases`,
      keepLease,
      `needs list leases in namespace ${NODE_LEASE_NAMESPACE}`,
    );
    if (outcome.kind === 'ok') return { kind: 'ok', leases: new Map(outcome.items.map((l) => [l.node, l])), serverNow: outcome.serverNow };
    return { kind: outcome.kind, message: outcome.message };
  });
}
