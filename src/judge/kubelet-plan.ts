// Which kubelets are worth a dial. The control plane already knows most dead kubelets: a node
// whose lease in kube-node-lease stopped renewing and whose Ready condition is not True has a
// kubelet that stopped heartbeating, whatever a dial would add. A dial costs a slot of
// --concurrency and, on a hung or black-holed host, a whole --timeout: 4,997 such hosts at 32
// slots and 5 s each are 13 minutes of dials that tell nothing new. So those nodes are judged
// from the lease and the condition, and only a sample of them (one round of slots, so one
// --timeout at most) is dialled to tell the story: process down (refused), host hung or gone
// (timeout), or kubelet up but cut off from the control plane (answers). Every other kubelet
// is dialled: a fresh lease says nothing about whether this machine can reach port 10250.
import type { LeaseListOutcome } from '../observe/leases.js';
import type { NodeSummary } from '../observe/nodes.js';
import { leaseIsStale } from './age.js';

/** What the control plane says of a kubelet that stopped heartbeating. */
export interface HeartbeatLoss {
  /** Since when the lease is not renewed (ms before `now`); null when it never was, or there is none. */
  leaseAgoMs: number | null;
  /** The lease is missing from kube-node-lease altogether. */
  noLease: boolean;
  /** The Ready condition's status (`Unknown`, `False`), null when the node has none. */
  ready: string | null;
  readyReason: string | null;
}

/** The heartbeat loss of a node, or null when its lease renews, its Ready is True, or the leases are not readable. */
export function heartbeatLoss(node: NodeSummary, leases: LeaseListOutcome | null, now: Date): HeartbeatLoss | null {
  if (!leases || leases.kind !== 'ok') return null;
  const ready = node.conditions.find((c) => c.type === 'Ready');
  if (ready?.status === 'True') return null;
  const lease = leases.leases.get(node.name);
  const at = leases.serverNow ?? now;
  if (lease && !leaseIsStale(lease, at)) return null;
  return {
    leaseAgoMs: lease?.renewTime ? at.getTime() - lease.renewTime.getTime() : null,
    noLease: lease === undefined,
    ready: ready?.status ?? null,
    readyReason: ready?.reason ?? null,
  };
}

export interface DialPlan {
  /** Nodes judged from their lease and Ready condition alone, by name. */
  byLease: Map<string, HeartbeatLoss>;
  /** Nodes whose heartbeat is lost that are dialled all the same, to tell the story. */
  sampled: number;
}

/**
 * The nodes not to dial: those whose heartbeat is lost, past the first `sample` of them (in
 * the node list's order, so that every check that asks draws the same sample and shares its dials).
 */
export function planKubeletDials(nodes: readonly NodeSummary[], leases: LeaseListOutcome | null, now: Date, sample: number): DialPlan {
  const byLease = new Map<string, HeartbeatLoss>();
  let sampled = 0;
  for (const node of nodes) {
    const loss = heartbeatLoss(node, leases, now);
    if (!loss) continue;
    if (sampled < sample) sampled += 1;
    else byLease.set(node.name, loss);
  }
  return { byLease, sampled };
}

/** How many kubelets whose heartbeat is lost are dialled: one round of the probe slots. */
export function dialSample(concurrency: number): number {
  return Math.max(1, concurrency);
}
